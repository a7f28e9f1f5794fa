package dev.mlops.core.tables;

import static org.apache.spark.sql.functions.col;

import dev.mlops.core.CoreErrors;
import dev.mlops.core.config.PlatformConfig;
import dev.mlops.core.spark.Identifiers;
import dev.mlops.core.spark.SparkSessions;
import io.delta.tables.DeltaTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The platform's tables in one warehouse: where each lives, its Delta version, reading it (now or
 * at a pinned version) and writing it so that it is registered by name for SQL users.
 *
 * <p>Every write goes to the table's folder ({@code <root>/<db>.db/<table>}) and the table is
 * registered in the session's catalog afterwards, so the same code works with the embedded
 * catalog and with an external Hive metastore. Obtain one with {@link #of}; thread-safe as far as
 * the session is.
 */
public final class Warehouse {
  /** Delta's session setting that a DML command's commit takes its {@code userMetadata} from. */
  static final String USER_METADATA = "spark.databricks.delta.commitInfo.userMetadata";
  private final SparkSession spark;
  private final PlatformConfig config;

  private Warehouse(SparkSession spark, PlatformConfig config) {
    this.spark = Objects.requireNonNull(spark, "spark == null");
    this.config = Objects.requireNonNull(config, "config == null");
  }

  /** The warehouse of {@code config}, used through {@code spark}. */
  public static Warehouse of(SparkSession spark, PlatformConfig config) {
    return new Warehouse(spark, config);
  }

  /** The session. */
  public SparkSession spark() {
    return spark;
  }

  /** The platform config. */
  public PlatformConfig config() {
    return config;
  }

  /** The folder (URI) of {@code table}. */
  public String location(TableName table) {
    return config.warehouse().tableUri(table.database(), table.table());
  }

  /** Creates {@code database} in its warehouse folder if it does not exist. */
  public void ensureDatabase(String database) {
    new TableName(database, "x");
    spark.sql("CREATE DATABASE IF NOT EXISTS " + database + " LOCATION '" + config.warehouse().databaseUri(database) + "'");
  }

  /** Whether {@code table} exists as a Delta table. */
  public boolean exists(TableName table) {
    return DeltaTable.isDeltaTable(spark, location(table));
  }

  /** The current Delta version of {@code table}, if it exists. */
  public Optional<Long> currentVersion(TableName table) {
    return currentState(table).map(State::version);
  }

  /**
   * A table's current Delta version and its Delta table id.
   *
   * @param tableId new when the table is dropped and created again, which starts its versions anew
   */
  public record State(long version, String tableId) {}

  /** The current Delta version and table id of {@code table}, if it exists. */
  public Optional<State> currentState(TableName table) {
    if (!exists(table)) {
      return Optional.empty();
    }
    // The Delta log's own view: no Spark job, unlike DESCRIBE HISTORY.
    org.apache.spark.sql.delta.Snapshot snapshot = org.apache.spark.sql.delta.DeltaLog.forTable(spark, location(table))
        .update(false, scala.Option.empty(), scala.Option.empty());
    return Optional.of(new State(snapshot.version(), snapshot.metadata().id()));
  }

  /**
   * The values of {@code partitionColumn} whose files a commit after {@code version} added or
   * removed, up to the current version: the partitions whose rows may differ from what they were
   * at {@code version} (a null partition value as the empty string). Read from the Delta log,
   * without a Spark job.
   *
   * @throws IllegalArgumentException when {@code partitionColumn} is not a partition column of the
   *     table: its files then say nothing of which values they hold, so any may have changed
   */
  public java.util.Set<String> partitionsChangedSince(TableName table, long version, String partitionColumn) {
    java.util.Set<String> changed = new java.util.TreeSet<>();
    org.apache.spark.sql.delta.DeltaLog log = org.apache.spark.sql.delta.DeltaLog.forTable(spark, location(table));
    org.apache.spark.sql.delta.Snapshot snapshot = log.update(false, scala.Option.empty(), scala.Option.empty());
    if (!snapshot.metadata().partitionColumns().contains(partitionColumn)) {
      throw new IllegalArgumentException(table + " is not partitioned by " + partitionColumn);
    }
    long current = snapshot.version();
    if (current <= version) {
      return changed;
    }
    scala.collection.Iterator<scala.Tuple2<Object, scala.collection.immutable.Seq<org.apache.spark.sql.delta.actions.Action>>> changes =
        log.getChanges(version + 1, scala.Option.empty(), true);
    while (changes.hasNext()) {
      for (org.apache.spark.sql.delta.actions.Action a : scala.jdk.javaapi.CollectionConverters.asJava(changes.next()._2())) {
        if (a instanceof org.apache.spark.sql.delta.actions.FileAction f) {
          scala.Option<String> value = f.partitionValues().get(partitionColumn);
          changed.add(value.isDefined() && value.get() != null ? value.get() : "");
        }
      }
    }
    return changed;
  }

  /** The current version of {@code table}; fails with a clear message when it does not exist. */
  public TableVersion current(TableName table) {
    return new TableVersion(table, currentVersion(table).orElseThrow(() -> CoreErrors.tableMissing(table)));
  }

  /** {@code table} as it is now. */
  public Dataset<Row> read(TableName table) {
    if (!exists(table)) {
      throw CoreErrors.tableMissing(table);
    }
    return spark.read().format("delta").load(location(table));
  }

  /** {@code table} at {@code version} (Delta time travel). */
  public Dataset<Row> read(TableVersion pinned) {
    if (!exists(pinned.table())) {
      throw CoreErrors.tableMissing(pinned.table());
    }
    return spark.read().format("delta").option("versionAsOf", pinned.version()).load(location(pinned.table()));
  }

  /** Starts a write of {@code data} into {@code table}. */
  public DeltaWrite write(Dataset<Row> data, TableName table) {
    return new DeltaWrite(this, data, table);
  }

  /**
   * Inserts {@code rows} into {@code table}, replacing the rows whose {@code keyColumns} match
   * (one Delta MERGE commit; creates the table on first use). Returns the version written.
   */
  public TableVersion upsert(Dataset<Row> rows, TableName table, List<String> keyColumns, Map<String, String> commitInfo) {
    if (!exists(table)) {
      return write(rows, table).commitInfo(commitInfo).commit();
    }
    String condition = nullSafeEqual(keyColumns);
    // Every column assigned by its quoted name: Delta's updateAll and insertAll quote the names
    // they expand without escaping, and fail on a name with a backtick.
    Map<String, Column> assignments = new LinkedHashMap<>();
    for (String c : rows.columns()) {
      assignments.put(Identifiers.quote(c), col(Identifiers.quote("s", c)));
    }
    withCommitInfo(commitInfo, session -> DeltaTable.forPath(session, location(table)).as("t").merge(rows.as("s"), condition)
        .whenMatched().update(assignments).whenNotMatched().insert(assignments).execute());
    return current(table);
  }

  /**
   * Deletes the rows of {@code table} equal, in every one of {@code columns} (nulls equal), to a
   * row of {@code rows}: one Delta MERGE commit. Only rows that have a copy go, whatever was
   * written to the table meanwhile. Returns the version now current.
   */
  public TableVersion deleteMatching(TableName table, Dataset<Row> rows, List<String> columns, Map<String, String> commitInfo) {
    String condition = nullSafeEqual(columns);
    withCommitInfo(commitInfo, session -> DeltaTable.forPath(session, location(table)).as("t").merge(rows.as("s"), condition)
        .whenMatched().delete().execute());
    return current(table);
  }

  /**
   * Runs a Delta command that takes its commit metadata from its session only (MERGE, UPDATE,
   * DELETE, OPTIMIZE), with {@code commitInfo} as the commit's {@code userMetadata}. The command
   * gets a session of its own (this warehouse's settings, the metadata set on it, active on the
   * calling thread while it runs) and must build its Delta command on it: the caller's session
   * is never changed, so commands of several threads never see each other's metadata.
   */
  public void withCommitInfo(Map<String, String> commitInfo, Consumer<SparkSession> command) {
    SparkSession own = SparkSessions.isolatedForPaths(spark);
    own.conf().set(USER_METADATA, Json.write(commitInfo));
    SparkSessions.whileActive(own, () -> command.accept(own));
  }

  /** The MERGE condition of target {@code t} and source {@code s} equal in {@code columns}, nulls equal. */
  private static String nullSafeEqual(List<String> columns) {
    return String.join(" AND ", columns.stream().map(k -> Identifiers.quote("t", k) + " <=> " + Identifiers.quote("s", k)).toList());
  }

  /** Makes {@code table}, already written in its folder, known to the catalog by name. */
  public void register(TableName table) {
    ensureDatabase(table.database());
    spark.sql("CREATE TABLE IF NOT EXISTS " + table + " USING delta LOCATION '" + location(table) + "'");
  }

  /** The tables of {@code database} that exist in the warehouse. */
  public List<TableName> tables(String database) {
    List<TableName> result = new ArrayList<>();
    if (!spark.catalog().databaseExists(database)) {
      return result;
    }
    for (Row r : spark.sql("SHOW TABLES IN " + database).collectAsList()) {
      if (!r.getBoolean(2)) {
        result.add(new TableName(database, r.getString(1)));
      }
    }
    return result;
  }

  /** The Delta commit info of {@code table} at {@code version}: operation, user metadata, etc. */
  public Map<String, String> commitInfo(TableVersion version) {
    Row row = DeltaTable.forPath(spark, location(version.table())).history()
        .where("version = " + version.version())
        .selectExpr("operation", "coalesce(userMetadata, '') AS userMetadata", "cast(timestamp AS string) AS timestamp")
        .first();
    return Map.of("operation", row.getString(0), "userMetadata", row.getString(1), "timestamp", row.getString(2));
  }
}
