package dev.mlops.features.registry;

import dev.mlops.features.FeatureRef;
import java.time.Instant;
import java.util.List;

/**
 * A feature service version as recorded by {@code features apply}.
 *
 * @param name the service
 * @param version its version
 * @param features its features, pinned to view versions
 * @param owner the owner
 * @param description the description
 * @param semanticHash hash of its feature list
 * @param appliedAt when it was applied
 */
public record RegisteredService(
    String name, int version, List<FeatureRef> features, String owner, String description, String semanticHash,
    Instant appliedAt) {
  /** {@code name vN}. */
  public String id() {
    return name + " v" + version;
  }
}
