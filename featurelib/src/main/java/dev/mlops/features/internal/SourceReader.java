package dev.mlops.features.internal;

import dev.mlops.core.runs.JobRun;
import dev.mlops.core.tables.TableVersion;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.features.Source;
import dev.mlops.features.SourceLocation;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads a {@link Source}'s rows. Catalog tables of the platform's warehouse are read at the
 * version current when first read and recorded as inputs of the run, when there is one.
 */
public final class SourceReader {
  private final SparkSession spark;
  private final Warehouse warehouse;
  private final JobRun run;

  /** A reader without run recording. */
  public SourceReader(SparkSession spark) {
    this(spark, null, null);
  }

  /** A reader that pins warehouse tables and records them as inputs of {@code run}. */
  public SourceReader(SparkSession spark, Warehouse warehouse, JobRun run) {
    this.spark = spark;
    this.warehouse = warehouse;
    this.run = run;
  }

  /** All rows of {@code source}. */
  public Dataset<Row> read(Source source) {
    SourceLocation loc = source.location();
    if (loc instanceof SourceLocation.Table t) {
      if (warehouse != null && run != null && warehouse.exists(t.table())) {
        TableVersion pinned = run.inputs().stream().filter(v -> v.table().equals(t.table())).findFirst()
            .orElseGet(() -> warehouse.current(t.table()));
        run.input(pinned);
        return warehouse.spark() == spark ? warehouse.read(pinned)
            : spark.read().format("delta").option("versionAsOf", pinned.version()).load(warehouse.location(t.table()));
      }
      return spark.table(t.table().toString());
    }
    if (loc instanceof SourceLocation.Path p) {
      String format = p.format().toLowerCase(Locale.ROOT);
      return switch (format) {
        case "csv" -> spark.read().option("header", "true").option("inferSchema", "true").csv(p.path());
        case "parquet" -> spark.read().parquet(p.path());
        default -> spark.read().format("delta").load(p.path());
      };
    }
    return spark.sql(((SourceLocation.Query) loc).sql());
  }
}
