package dev.mlops.core.config;

import java.nio.file.Path;

/**
 * A platform configuration together with the file it came from.
 *
 * @param path the file
 * @param displayName the file as the user named it, for messages
 * @param sha256 hex SHA-256 of the file's bytes (before substitution), recorded with every run
 * @param config the parsed configuration, its warehouse root made absolute
 */
public record ConfigFile(Path path, String displayName, String sha256, PlatformConfig config) {}
