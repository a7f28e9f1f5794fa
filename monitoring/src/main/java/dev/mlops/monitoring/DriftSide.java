package dev.mlops.monitoring;

import dev.mlops.validation.profiles.PartitionProfiler.ProfiledColumn;
import dev.mlops.validation.profiles.ProfileKey;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Data a drift run reads, whole: the rows, the profile key its sketches are stored under, and the
 * columns read from it.
 *
 * <p>Immutable.
 *
 * @param rows the rows (a table at a version, or files)
 * @param key where its profile is stored
 * @param columns the columns read from it, by the names they are compared under
 */
public record DriftSide(Dataset<Row> rows, ProfileKey key, List<ProfiledColumn> columns) {
  public DriftSide {
    Objects.requireNonNull(rows, "rows == null");
    Objects.requireNonNull(key, "key == null");
    columns = List.copyOf(columns);
  }
}
