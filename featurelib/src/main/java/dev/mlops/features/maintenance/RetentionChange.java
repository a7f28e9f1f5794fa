package dev.mlops.features.maintenance;

import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.TableVersion;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link FeatureTableRetention#ensureAtLeast} did to one table. Immutable.
 *
 * @param table the table
 * @param before its retention before
 * @param after its retention now (equal to {@code before} when nothing changed)
 * @param properties the table properties set, key to value ({@code interval 90 days}); empty when
 *     the table already kept its history long enough
 * @param committed the Delta version the property change created; empty when nothing changed
 */
public record RetentionChange(
    TableName table, TableRetention before, TableRetention after, Map<String, String> properties,
    Optional<TableVersion> committed) {
  public RetentionChange {
    Objects.requireNonNull(table, "table == null");
    Objects.requireNonNull(before, "before == null");
    Objects.requireNonNull(after, "after == null");
    properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    Objects.requireNonNull(committed, "committed == null");
  }

  /** Whether a property was raised. */
  public boolean changed() {
    return !properties.isEmpty();
  }
}
