package dev.mlops.features;

import dev.mlops.core.tables.TableVersion;
import java.util.Objects;

/**
 * A claim that {@code table} must stay readable at its Delta version: someone (the
 * {@code holder}, for example {@code "model fraud v3"}) will read it again there with time travel,
 * to rebuild a training set bit for bit. Maintenance that deletes history, such as
 * {@link dev.mlops.features.maintenance.FeatureVacuum}, checks pins first and names their
 * holders when it refuses.
 *
 * <p>Build one directly; the model registry derives them from the pins of its non-archived model
 * versions. Immutable and thread-safe.
 *
 * @param holder who needs the version, as messages should name it: {@code "model fraud v3"}
 * @param table the table and the Delta version that must stay readable
 */
public record TablePin(String holder, TableVersion table) {
  public TablePin {
    Objects.requireNonNull(holder, "holder == null");
    Objects.requireNonNull(table, "table == null");
    if (holder.isBlank()) {
      throw new IllegalArgumentException("holder is blank");
    }
    if (table.version() < 0) {
      throw new IllegalArgumentException("version < 0: " + table);
    }
  }

  /** {@code holder -> table@vN}. */
  @Override
  public String toString() {
    return holder + " -> " + table;
  }
}
