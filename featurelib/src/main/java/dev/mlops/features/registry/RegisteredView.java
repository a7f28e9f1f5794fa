package dev.mlops.features.registry;

import dev.mlops.core.tables.TableName;
import dev.mlops.features.Feature;
import dev.mlops.features.JoinKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A feature view version as recorded by {@code features apply}: enough to read its table by
 * itself (keys, TTL, features), whatever the repository holds today.
 *
 * @param name the view
 * @param version its version
 * @param kind {@code aggregation} or {@code sql}
 * @param table its Delta table
 * @param entities the entities' names
 * @param joinKeys the key columns
 * @param ttl how long rows stay valid
 * @param features the feature columns
 * @param owner the owner
 * @param description the description
 * @param tags the tags
 * @param definition the full definition, flattened
 * @param semanticHash hash of what determines the values
 * @param appliedAt when it was (last) applied
 */
public record RegisteredView(
    String name, int version, String kind, TableName table, List<String> entities, List<JoinKey> joinKeys,
    Duration ttl, List<Feature> features, String owner, String description, Map<String, String> tags,
    Map<String, String> definition, String semanticHash, Instant appliedAt) {

  /** {@code name vN}. */
  public String id() {
    return name + " v" + version;
  }

  /** The feature named {@code feature}. */
  public Optional<Feature> feature(String feature) {
    return features.stream().filter(f -> f.name().equals(feature)).findFirst();
  }
}
