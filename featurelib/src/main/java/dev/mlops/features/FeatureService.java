package dev.mlops.features;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A named, versioned set of features of pinned view versions: what a model consumes.
 *
 * @param name the service's name
 * @param version its version
 * @param description what it is for
 * @param owner who owns it
 * @param features the features, in output order
 */
public record FeatureService(String name, int version, String description, String owner, List<FeatureRef> features) {
  public FeatureService {
    features = List.copyOf(features);
    description = description == null ? "" : description;
    owner = owner == null ? "" : owner;
  }

  /** {@code name v<version>}, for messages. */
  public String id() {
    return name + " v" + version;
  }

  /** The view versions it uses, each with its features, in order of first use. */
  public Map<String, List<FeatureRef>> byView() {
    Map<String, List<FeatureRef>> m = new LinkedHashMap<>();
    for (FeatureRef f : features) {
      m.computeIfAbsent(f.view() + "@" + f.viewVersion(), k -> new java.util.ArrayList<>()).add(f);
    }
    return m;
  }
}
