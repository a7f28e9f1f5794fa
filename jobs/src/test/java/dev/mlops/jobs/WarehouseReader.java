package dev.mlops.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The tables of a warehouse folder read by name in the test JVM's own Spark session, so that a
 * test looks at what child processes wrote without starting a process of its own for each look.
 */
final class WarehouseReader {
  /**
   * Columns that differ between two runs that write the same rows: the run, the times of the run,
   * and the Delta versions of the tables read (a day written again is a new version).
   */
  static final Pattern RUN_COLUMNS = Pattern.compile("(?i).*_at|_?run_id|_gen|created_ts|table_version|feature_pins");
  /**
   * Columns that two runs over the same rows may fill differently: in {@code monitoring.drift}
   * what the sketch engine estimates (KLL sketches compact at random, so values agree within the
   * sketches' error, not exactly); in {@code monitoring.performance} what depends on the labels
   * arrived by the run's time ({@code as_of}: a later run sees more of the demo's late labels).
   * Their rows, keys, references and counts must still be equal.
   */
  static final Map<String, Pattern> RUN_DEPENDENT = Map.of(
      "monitoring.drift", Pattern.compile("value|p_value|effect_size|details|status"),
      "monitoring.performance", Pattern.compile("as_of|labelled|label_coverage|matured|value|change|status"));
  /** Matches no column name. */
  private static final Pattern NOTHING = Pattern.compile("$^");
  private final SparkSession spark = dev.mlops.testkit.SharedSpark.get();
  private final Path root;

  WarehouseReader(Path root) {
    this.root = root;
  }

  /** What a table holds, apart from the {@link #RUN_COLUMNS}: its rows and a checksum of their multiset. */
  record Content(long rows, long checksum) {}

  /** Names every table of the warehouse in the session (those made since the last call too). */
  void registerAll() throws IOException {
    try (Stream<Path> dbs = Files.list(root)) {
      for (Path db : dbs.filter(d -> d.getFileName().toString().endsWith(".db")).toList()) {
        String database = db.getFileName().toString().replaceFirst("\\.db$", "");
        spark.sql("CREATE DATABASE IF NOT EXISTS `" + database + "`");
        try (Stream<Path> tables = Files.list(db)) {
          for (Path t : tables.filter(t -> Files.isDirectory(t.resolve("_delta_log"))).toList()) {
            spark.sql("CREATE TABLE IF NOT EXISTS `" + database + "`.`" + t.getFileName() + "` USING delta LOCATION '"
                + t.toUri() + "'");
          }
        }
      }
    }
  }

  /** The folder of {@code table} ({@code db.table}). */
  Path folder(String table) {
    String[] parts = table.split("\\.");
    return root.resolve(parts[0] + ".db").resolve(parts[1]);
  }

  /** The latest Delta version of {@code table}; -1 while it does not exist. */
  long version(String table) {
    if (!Files.isDirectory(folder(table).resolve("_delta_log"))) {
      return -1;
    }
    return io.delta.tables.DeltaTable.forPath(spark, folder(table).toUri().toString()).history(1).head().<Long>getAs("version");
  }

  /** What {@code table} holds (its rows {@code where}, SQL, or all with null); no rows while it does not exist. */
  Content content(String table, String where) throws IOException {
    if (!Files.isDirectory(folder(table).resolve("_delta_log"))) {
      return new Content(0, 0);
    }
    if (!spark.catalog().tableExists(table)) {
      registerAll();
    }
    Pattern runDependent = RUN_DEPENDENT.getOrDefault(table, NOTHING);
    String columns = String.join(", ", Arrays.stream(spark.table(table).columns())
        .filter(c -> !RUN_COLUMNS.matcher(c).matches())
        .filter(c -> !runDependent.matcher(c).matches())
        .map(c -> "`" + c + "`").toList());
    Row r = row("SELECT count(*), coalesce(sum(hash(to_json(struct(" + columns + ")))), 0) FROM " + table
        + (where == null ? "" : " WHERE " + where));
    return new Content(r.getLong(0), r.getLong(1));
  }

  /** The first row of {@code sql}. */
  Row row(String sql) {
    return spark.sql(sql).head();
  }

  /** The rows of {@code sql}, each as text. */
  List<String> rows(String sql) {
    return spark.sql(sql).collectAsList().stream().map(Row::toString).toList();
  }

  SparkSession spark() {
    return spark;
  }
}
