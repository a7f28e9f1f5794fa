package dev.mlops.features.materialize;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.features.registry.FeatureTables;
import io.delta.tables.DeltaTable;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a materialization lays its rows out in files, so that a view with a long history and few
 * rows a day stays in few files: opening a file costs more than reading a small one (Spark copies
 * the Hadoop configuration for each), so a long history in one-file days reads several times
 * slower than the same rows in one file a month (see docs/FEATURES.md).
 *
 * <ul>
 *   <li>Rows go into one file a month when a month of the write's average day stays within
 *       {@link #ROWS_PER_MONTH_FILE} rows, else into one file a day, so that a large view's days
 *       are still written in parallel.
 *   <li>Afterwards, the files under {@link #SMALL_FILE_BYTES} in the months written are merged
 *       (Delta's OPTIMIZE, a commit that changes no data), so that nightly one-day writes do not
 *       leave a small view's month in thirty files. Only tables partitioned by
 *       {@link FeatureTables#MONTH} are merged; tables of the earlier day layout are left as they are.
 * </ul>
 *
 * <p>The merge runs on a session of its own, so its settings (Delta's minimum file size, the
 * commit metadata) never reach the caller's. A merge that loses to a concurrent commit on the same
 * months is skipped with a warning: the data is written by then, and the next write of those
 * months merges them.
 */
final class FileLayout {
  /** Up to this many rows a month on average, a write puts each month's rows in one file. */
  static final long ROWS_PER_MONTH_FILE = 2_000_000L;

  /** Files under this size in a month just written are merged; larger ones are left alone. */
  static final long SMALL_FILE_BYTES = 16L << 20;

  private static final String MIN_FILE_SIZE = "spark.databricks.delta.optimize.minFileSize";
  private static final Logger LOG = LoggerFactory.getLogger(FileLayout.class);

  private FileLayout() {}

  /** What a write of {@code rows} rows from {@code first} to {@code last} is repartitioned by: month or day. */
  static Column fileGroups(long rows, LocalDate first, LocalDate last) {
    long days = ChronoUnit.DAYS.between(first, last) + 1;
    double perMonth = (double) rows / days * 31;
    return perMonth <= ROWS_PER_MONTH_FILE ? expr(FeatureTables.MONTH_EXPRESSION) : col(FeatureTables.DATE);
  }

  /**
   * Merges the small files of the months from {@code first} to {@code last} of {@code table}, in
   * a commit carrying {@code commitInfo}; does nothing when no month has two small files, when the
   * table is partitioned by day (a table made before the month layout), or when a concurrent commit came first.
   */
  static void compact(Warehouse warehouse, TableName table, LocalDate first, LocalDate last,
      Map<String, String> commitInfo) {
    List<String> partitions = DeltaTable.forPath(warehouse.spark(), warehouse.location(table)).detail()
        .select("partitionColumns").first().getList(0);
    if (!partitions.equals(List.of(FeatureTables.MONTH))) {
      return;
    }
    String months = FeatureTables.MONTH + " >= DATE'" + first.withDayOfMonth(1) + "' AND " + FeatureTables.MONTH
        + " <= DATE'" + last.withDayOfMonth(1) + "'";
    try {
      // The merge's settings go on the commit's own session, never the caller's.
      warehouse.withCommitInfo(commitInfo, session -> {
        session.conf().set(MIN_FILE_SIZE, String.valueOf(SMALL_FILE_BYTES));
        DeltaTable.forPath(session, warehouse.location(table)).optimize().where(months).executeCompaction();
      });
    } catch (ConcurrentModificationException e) {
      // Another commit to these months came first. The data is written and recorded; the next
      // materialization of these months merges them.
      LOG.warn("Merging the small files of {} for {} .. {} skipped: a concurrent commit came first ({})", table,
          first.withDayOfMonth(1), last.withDayOfMonth(1), e.getMessage());
    }
  }
}
