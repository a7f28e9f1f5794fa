package dev.mlops.training.spec;

import java.util.Objects;

/**
 * A model spec as a registered version keeps it: the file it came from, the YAML as written, the
 * YAML as it read in the environment it was trained in (every {@code ${VAR}} replaced), and the
 * hash of the text as written. Reproduction, cards and champion evaluation read the resolved
 * text, so today's environment never changes what a version was trained with.
 *
 * <p>Immutable. Obtain one from {@link ModelSpecLoader.LoadedSpec#recorded()} or from a
 * registered version.
 *
 * @param file the spec file as named in messages
 * @param text the YAML as written
 * @param resolved the YAML with the environment's values in; null for versions registered before
 *     it was kept
 * @param sha256 the hash of {@code text}
 */
public record RecordedSpec(String file, String text, String resolved, String sha256) {
  public RecordedSpec {
    Objects.requireNonNull(file, "file == null");
    Objects.requireNonNull(text, "text == null");
    Objects.requireNonNull(sha256, "sha256 == null");
  }
}
