package dev.mlops.jobs.cli;

import dev.mlops.jobs.cli.SqlFormat.SqlResult;
import java.io.PrintStream;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Runs SQL statements one after another on one Spark session and prints their results in the
 * current format, with the time each took when timing is on: what the {@code mlops sql} shell and
 * {@code mlops sql -f} share. Not thread-safe; one per shell.
 */
final class SqlSession {
  private final SparkSession spark;
  private final PrintStream out;
  private final PrintStream err;
  private final int limit;
  private SqlFormat format;
  private boolean timing;

  SqlSession(SparkSession spark, PrintStream out, PrintStream err, SqlFormat format, int limit) {
    this.spark = spark;
    this.out = out;
    this.err = err;
    this.format = format;
    this.limit = limit;
  }

  /** Runs {@code sql} and prints its result; Spark's errors propagate. */
  void execute(String sql) {
    long start = System.nanoTime();
    Dataset<Row> result = spark.sql(sql);
    List<Row> rows = result.limit(limit + 1).collectAsList();
    boolean truncated = rows.size() > limit;
    format.print(out, new SqlResult(result.columns(), truncated ? rows.subList(0, limit) : rows, truncated));
    if (truncated && format == SqlFormat.CSV) {
      // CSV has no place for it, and a file cut short without a word loses data.
      err.println("warning: only the first " + limit + " rows were printed; raise --limit for more");
    }
    if (timing) {
      err.printf("Time: %.3f s%n", (System.nanoTime() - start) / 1e9);
    }
  }

  /** The format results are printed in. */
  SqlFormat format() {
    return format;
  }

  void format(SqlFormat format) {
    this.format = format;
  }

  /** Turns timing on or off; returns the new setting. */
  boolean toggleTiming() {
    timing = !timing;
    return timing;
  }
}
