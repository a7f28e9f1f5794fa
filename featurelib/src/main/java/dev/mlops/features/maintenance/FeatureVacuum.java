package dev.mlops.features.maintenance;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.when;

import dev.mlops.core.config.Durations;
import dev.mlops.core.spark.Identifiers;
import dev.mlops.core.spark.SparkJobs;
import dev.mlops.core.spark.SparkSessions;
import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.TableVersion;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.features.FeatureErrors;
import dev.mlops.features.TablePin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.Snapshot;

/**
 * Delta's {@code VACUUM} for feature tables that refuses to break pinned versions: before anything
 * is deleted, every {@link TablePin} on the table is checked against the Delta log, and the vacuum
 * fails, naming each holder that blocks it and the fix, when a pinned version
 *
 * <ul>
 *   <li>needs data files that the vacuum would delete: files of the pinned snapshot that are not in
 *       the current one and whose remove tombstone (or, once the tombstone has expired, the file
 *       itself) is older than the retention;
 *   <li>or could no longer be read anyway: its log entries are gone, are older than the table's
 *       {@code delta.logRetentionDuration} (the next checkpoint may delete them), or it is older
 *       than the table's {@code delta.deletedFileRetentionDuration}, beyond which Delta refuses time
 *       travel (unless the session turned that check off).
 * </ul>
 *
 * <p>Otherwise Delta's own vacuum runs (a dry run first, to count and list the files), with the
 * caller's session and so with Delta's own safety check: a retention shorter than the table's
 * {@code delta.deletedFileRetentionDuration} is refused, with this platform's message, unless the
 * session set {@value #RETENTION_CHECK} to false. This class never changes the caller's session;
 * tests and operators who need a shorter retention pass a session clone with the check off. The
 * vacuum itself runs in a clone of the caller's session that lists the table's files with at most
 * {@link #LISTING_TASKS_PER_CORE} tasks per core instead of Spark's 10,000.
 *
 * <p>"Now" is the system clock, not an injected one: Delta's vacuum and its time-travel check read
 * the system clock, and the pin check must agree with what Delta will delete. A file counts as at
 * risk when a vacuum started within {@link #SAFETY_MARGIN} would delete it, so the check still holds
 * while the vacuum runs, and the suggested {@code --retain} still works when re-run soon after.
 *
 * <p>Static methods only; thread-safe as far as the session is.
 */
public final class FeatureVacuum {
  /** How far ahead the pin check looks: files a vacuum started this much later would delete count. */
  public static final Duration SAFETY_MARGIN = Duration.ofHours(1);
  /** How many of the deleted paths a result lists. */
  public static final int SAMPLE_SIZE = 20;
  /** Delta's session setting that refuses a vacuum retention below the table's file retention. */
  public static final String RETENTION_CHECK = "spark.databricks.delta.retentionDurationCheck.enabled";
  /** Delta's session setting that refuses time travel beyond the table's file retention. */
  public static final String TIME_TRAVEL_CHECK =
      "spark.databricks.delta.vacuum.enforceTimeTravelWithinDeletedFileRetentionDuration";

  /** The most file-listing tasks per core a vacuum uses (see {@link #vacuum}). */
  public static final int LISTING_TASKS_PER_CORE = 4;

  private static final String LISTING_PARALLELISM = "spark.sql.sources.parallelPartitionDiscovery.parallelism";
  private static final long HOUR_MS = 3_600_000L;
  private static final long DAY_MS = 24 * HOUR_MS;

  private FeatureVacuum() {}

  /**
   * Vacuums {@code table}, keeping removed files younger than {@code retain}, unless a pin in
   * {@code pins} (pins on other tables are ignored) needs what it would delete.
   *
   * @param retain zero or more whole hours; Delta's default is the table's
   *     {@code delta.deletedFileRetentionDuration} ({@link FeatureTableRetention#current})
   * @param dryRun list and count what would be deleted, and delete nothing; pins are checked alike
   * @throws dev.mlops.core.PlatformException when the table does not exist, the retention is not
   *     whole hours or is shorter than the table's file retention (with Delta's check on), or a pin
   *     blocks the vacuum; nothing is deleted then
   */
  public static VacuumResult vacuum(Warehouse w, TableName table, Duration retain, Collection<TablePin> pins, boolean dryRun) {
    Objects.requireNonNull(w, "w == null");
    Objects.requireNonNull(table, "table == null");
    Objects.requireNonNull(pins, "pins == null");
    if (retain == null || retain.isNegative() || retain.getNano() != 0 || retain.getSeconds() % 3600 != 0) {
      throw FeatureErrors.badVacuumRetention(table, retain);
    }
    long hours = retain.toHours();
    DeltaLog log = FeatureTableRetention.deltaLog(w, table);
    SparkSession spark = w.spark();
    return SparkJobs.inGroup(spark, "vacuum-" + table, "vacuum " + table + " retaining " + hours + "h"
        + (dryRun ? " (dry run)" : ""), () -> {
      Snapshot current = log.update(false, scala.Option.empty(), scala.Option.empty());
      TableRetention kept = FeatureTableRetention.retention(log, current.metadata());
      if (enabled(spark, RETENTION_CHECK) && retain.compareTo(kept.deletedFiles()) < 0) {
        long tableHours = FeatureTableRetention.ceilDiv(kept.deletedFiles().toMillis(), HOUR_MS);
        throw FeatureErrors.retentionBelowTable(table, hours, tableHours);
      }
      List<TablePin> onTable = pins.stream().filter(p -> p.table().table().equals(table)).distinct().toList();
      new PinCheck(spark, log, current, kept, table, retain).run(onTable);

      SparkSession session = listingSession(spark);
      String target = Identifiers.quote("delta", w.location(table));
      // Delta's own listing of what it deletes; a command's result is already on the driver.
      Dataset<Row> listed = session.sql("VACUUM " + target + " RETAIN " + hours + " HOURS DRY RUN");
      long files = listed.count();
      List<String> sample = listed.limit(SAMPLE_SIZE).collectAsList().stream().map(r -> r.getString(0)).toList();
      if (!dryRun) {
        session.sql("VACUUM " + target + " RETAIN " + hours + " HOURS");
      }
      return new VacuumResult(new TableVersion(table, current.version()), retain, dryRun, files, sample, onTable);
    });
  }

  /**
   * The session Delta's vacuum runs in: the caller's settings (its retention check included), with
   * the file listing's parallelism at most {@link #LISTING_TASKS_PER_CORE} tasks per core. Delta
   * lists the table's folder with Spark's partition-discovery parallelism, 10,000 tasks by
   * default, which costs far more than listing a feature table's few folders (most of a minute on
   * two local cores). A clone, so the caller's session is never changed.
   */
  private static SparkSession listingSession(SparkSession spark) {
    long tasks = (long) LISTING_TASKS_PER_CORE * Math.max(1, spark.sparkContext().defaultParallelism());
    long configured = Long.parseLong(spark.conf().get(LISTING_PARALLELISM, "10000"));
    if (configured <= tasks) {
      return spark;
    }
    SparkSession session = SparkSessions.isolated(spark);
    session.conf().set(LISTING_PARALLELISM, String.valueOf(tasks));
    return session;
  }

  private static boolean enabled(SparkSession spark, String key) {
    return Boolean.parseBoolean(spark.conf().get(key, "true"));
  }

  /** The check of one vacuum's pins against the log; collects every blocking reason and fix. */
  private static final class PinCheck {
    private final SparkSession spark;
    private final DeltaLog log;
    private final Snapshot current;
    private final TableRetention kept;
    private final TableName table;
    private final Duration retain;
    private final long now = System.currentTimeMillis();
    private final Map<Long, List<Risk>> risks = new HashMap<>();
    private Dataset<Row> live;
    private Dataset<Row> removed;

    /** Why a pinned version blocks the vacuum; {@code need} is the hours or days the fix needs. */
    private record Risk(Kind kind, String reason, long need) {}

    private enum Kind { FILES, RETENTION, GONE, NO_SUCH_VERSION }

    PinCheck(SparkSession spark, DeltaLog log, Snapshot current, TableRetention kept, TableName table, Duration retain) {
      this.spark = spark;
      this.log = log;
      this.current = current;
      this.kept = kept;
      this.table = table;
      this.retain = retain;
    }

    void run(List<TablePin> pins) {
      List<String> reasons = new ArrayList<>();
      Map<Kind, Set<String>> holders = new HashMap<>();
      Map<Kind, Long> need = new HashMap<>();
      for (TablePin pin : pins) {
        long version = pin.table().version();
        List<Risk> found = risks.computeIfAbsent(version, this::assess);
        if (found.isEmpty()) {
          continue;
        }
        reasons.add(pin.holder() + " pins it at version " + version + ", "
            + String.join(" and ", found.stream().map(Risk::reason).toList()));
        for (Risk r : found) {
          holders.computeIfAbsent(r.kind(), k -> new LinkedHashSet<>()).add(pin.holder());
          need.merge(r.kind(), r.need(), Math::max);
        }
      }
      if (reasons.isEmpty()) {
        return;
      }
      List<String> fixes = new ArrayList<>();
      if (holders.containsKey(Kind.FILES)) {
        fixes.add("archive " + those(holders.get(Kind.FILES)) + " or vacuum with --retain at least " + need.get(Kind.FILES) + "h");
      }
      if (holders.containsKey(Kind.RETENTION)) {
        fixes.add(raiseRetention(need.get(Kind.RETENTION)) + " (or archive " + those(holders.get(Kind.RETENTION)) + ")");
      }
      if (holders.containsKey(Kind.GONE)) {
        Set<String> gone = holders.get(Kind.GONE);
        fixes.add("archive " + those(gone) + ": " + (gone.size() == 1 ? "its training set" : "their training sets")
            + " can no longer be rebuilt from this table");
      }
      if (holders.containsKey(Kind.NO_SUCH_VERSION)) {
        fixes.add("correct the pins of " + String.join(", ", holders.get(Kind.NO_SUCH_VERSION))
            + ": the table never had that version");
      }
      throw FeatureErrors.pinsBlockVacuum(table, retain.toHours(), reasons, fixes);
    }

    private List<Risk> assess(long version) {
      if (version > current.version()) {
        return List.of(new Risk(Kind.NO_SUCH_VERSION, "but its latest version is " + current.version(), 0));
      }
      if (version == current.version()) {
        return List.of();
      }
      Snapshot pinned;
      try {
        // Without Delta's time-travel retention check: that one is reported below, with its fix.
        pinned = log.getSnapshotAt(version, scala.Option.empty(), scala.Option.empty(), false);
      } catch (Exception e) {
        String cause = String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getSimpleName());
        return List.of(new Risk(Kind.GONE, "which Delta can no longer read (" + cause + ")", 0));
      }
      List<Risk> found = new ArrayList<>();
      long age = now - pinned.timestamp();
      long margin = SAFETY_MARGIN.toMillis();
      long retentionDays = FeatureTableRetention.ceilDiv(age + margin, DAY_MS);
      if (enabled(spark, TIME_TRAVEL_CHECK) && age + margin > kept.deletedFiles().toMillis()) {
        found.add(new Risk(Kind.RETENTION, "committed " + ago(age) + " ago, beyond the table's "
            + FeatureTableRetention.DELETED_FILE_RETENTION + " of " + Durations.format(kept.deletedFiles()) + ", so Delta "
            + (age > kept.deletedFiles().toMillis() ? "refuses" : "will refuse within the hour") + " time travel to it",
            retentionDays));
      }
      if (age + margin > kept.log().toMillis()) {
        found.add(new Risk(Kind.RETENTION, "whose log entries are older than the table's "
            + FeatureTableRetention.LOG_RETENTION + " of " + Durations.format(kept.log())
            + ", so the next checkpoint may delete them", retentionDays));
      }
      Row atRisk = filesAtRisk(pinned, now - retain.toMillis() + margin);
      long files = atRisk.getLong(0);
      if (files > 0) {
        long hours = FeatureTableRetention.ceilDiv(now - atRisk.getLong(1) + margin, HOUR_MS);
        found.add(new Risk(Kind.FILES, "which needs " + files + (files == 1 ? " file" : " files") + " that vacuum would delete",
            hours));
      }
      return found;
    }

    /**
     * How many files of {@code pinned} a vacuum deleting what is unreferenced since before
     * {@code cutoffMs} would remove, and the oldest such time: one aggregation over the log state.
     * Delta keeps a file that is in the current snapshot, or whose tombstone or modification time
     * is at or after the cutoff. A file action is matched with its deletion vector, if it has one
     * on disk, so a replaced deletion vector counts too.
     */
    private Row filesAtRisk(Snapshot pinned, long cutoffMs) {
      if (live == null) {
        live = current.allFiles().toDF().select(key().as("live_key"));
        removed = current.tombstones().toDF()
            .select(key().as("removed_key"), coalesce(col("deletionTimestamp"), lit(0L)).as("removed_ms"));
      }
      Dataset<Row> needed = pinned.allFiles().toDF().select(key().as("key"), col("modificationTime").as("mtime"));
      return needed.join(live, needed.col("key").equalTo(live.col("live_key")), "left_anti")
          .join(removed, col("key").equalTo(col("removed_key")), "left_outer")
          .select(greatest(coalesce(col("removed_ms"), lit(0L)), col("mtime")).as("kept_from"))
          .where(col("kept_from").lt(lit(cutoffMs)))
          .agg(count(lit(1)), min("kept_from"))
          .first();
    }

    private static Column key() {
      Column dv = col("deletionVector");
      return when(dv.isNull().or(dv.getField("storageType").equalTo("i")), col("path"))
          .otherwise(concat_ws("#", col("path"), dv.getField("storageType"), dv.getField("pathOrInlineDv"),
              coalesce(dv.getField("offset").cast("string"), lit(""))));
    }

    private String raiseRetention(long days) {
      List<String> props = new ArrayList<>();
      Duration needed = Duration.ofDays(days);
      if (kept.deletedFiles().compareTo(needed) < 0) {
        props.add("'" + FeatureTableRetention.DELETED_FILE_RETENTION + "' = 'interval " + days + " days'");
      }
      if (kept.log().compareTo(needed) < 0) {
        props.add("'" + FeatureTableRetention.LOG_RETENTION + "' = 'interval " + days + " days'");
      }
      return "raise the table's history retention to at least " + days + (days == 1 ? " day" : " days") + " (ALTER TABLE " + table
          + " SET TBLPROPERTIES (" + String.join(", ", props) + "))";
    }

    private static String those(Set<String> holders) {
      return holders.size() == 1 ? "that model version" : "those model versions";
    }

    private static String ago(long ms) {
      if (ms >= 2 * DAY_MS) {
        return ms / DAY_MS + " days";
      }
      if (ms >= 2 * HOUR_MS) {
        return ms / HOUR_MS + " hours";
      }
      return Math.max(0, ms / 1000) + " seconds";
    }
  }
}
