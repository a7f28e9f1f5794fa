package dev.mlops.features.maintenance;

import dev.mlops.core.CoreErrors;
import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.TableVersion;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.features.FeatureErrors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.delta.DeltaConcurrentModificationException;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.DeltaOperations;
import org.apache.spark.sql.delta.OptimisticTransaction;
import org.apache.spark.sql.delta.actions.Action;
import org.apache.spark.sql.delta.actions.Metadata;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Keeps a feature table's Delta history at least as long as pinned versions need it: raises
 * {@code delta.logRetentionDuration} (log entries; a version without them cannot be read) and
 * {@code delta.deletedFileRetentionDuration} (removed data files; Delta also refuses time travel
 * to a version older than this, 7 days by default) to a retention, and never lowers them.
 *
 * <pre>{@code
 * RetentionChange c = FeatureTableRetention.ensureAtLeast(warehouse, table, Duration.ofDays(90));
 * c.committed().ifPresent(run::output);
 * }</pre>
 *
 * <p>The check and the change are one Delta transaction: a concurrent change of the table's
 * metadata makes it read the properties again and retry, so a longer retention set meanwhile is
 * never shortened. Idempotent: when the table already keeps its history long enough nothing is
 * committed. Static methods only; thread-safe as far as the session is.
 */
public final class FeatureTableRetention {
  /** The table property for how long log entries are kept. */
  public static final String LOG_RETENTION = "delta.logRetentionDuration";
  /** The table property for how long removed data files are kept. */
  public static final String DELETED_FILE_RETENTION = "delta.deletedFileRetentionDuration";

  private static final int ATTEMPTS = 5;

  private FeatureTableRetention() {}

  /** The retention Delta applies to {@code table} now. */
  public static TableRetention current(Warehouse w, TableName table) {
    DeltaLog log = deltaLog(w, table);
    return retention(log, log.update(false, scala.Option.empty(), scala.Option.empty()).metadata());
  }

  /**
   * Raises {@code table}'s log and deleted-file retention to {@code retention} where they are
   * shorter, as {@code interval N days} (or {@code interval N hours} when {@code retention} is not
   * whole days, rounded up). Never shortens them; commits nothing when neither is shorter.
   *
   * @throws dev.mlops.core.PlatformException when the table does not exist, or the retention is
   *     not positive
   */
  public static RetentionChange ensureAtLeast(Warehouse w, TableName table, Duration retention) {
    if (retention == null || retention.isNegative() || retention.isZero()) {
      throw FeatureErrors.badRetention(table, retention);
    }
    String value = interval(retention);
    DeltaLog log = deltaLog(w, table);
    for (int attempt = 1; ; attempt++) {
      // The transaction reads the latest metadata; its commit fails if another commit changed
      // the metadata meanwhile, and then the properties are read again.
      OptimisticTransaction txn = log.startTransaction();
      Metadata metadata = txn.metadata();
      TableRetention before = retention(log, metadata);
      Map<String, String> raised = new LinkedHashMap<>();
      if (before.log().compareTo(retention) < 0) {
        raised.put(LOG_RETENTION, value);
      }
      if (before.deletedFiles().compareTo(retention) < 0) {
        raised.put(DELETED_FILE_RETENTION, value);
      }
      if (raised.isEmpty()) {
        return new RetentionChange(table, before, before, Map.of(), Optional.empty());
      }
      Map<String, String> configuration = new LinkedHashMap<>(CollectionConverters.asJava(metadata.configuration()));
      configuration.putAll(raised);
      Metadata updated = metadata.copy(metadata.id(), metadata.name(), metadata.description(), metadata.format(),
          metadata.schemaString(), metadata.partitionColumns(), scalaMap(configuration), metadata.createdTime());
      try {
        txn.updateMetadata(updated, false);
        long version = txn.commit(CollectionConverters.asScala(new ArrayList<Action>()).toList(),
            new DeltaOperations.SetTableProperties(scalaMap(raised)));
        return new RetentionChange(table, before, retention(log, updated), raised,
            Optional.of(new TableVersion(table, version)));
      } catch (DeltaConcurrentModificationException e) {
        if (attempt == ATTEMPTS) {
          throw FeatureErrors.retentionConflict(table, ATTEMPTS, e);
        }
      }
    }
  }

  /** {@code interval N days} for whole days, else {@code interval N hours}, rounded up. */
  static String interval(Duration d) {
    long seconds = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
    if (seconds % 86_400 == 0) {
      return "interval " + seconds / 86_400 + " days";
    }
    return "interval " + ceilDiv(seconds, 3600) + " hours";
  }

  /** {@code a / b} rounded up, for {@code b > 0} ({@code Math.ceilDiv} is Java 18). */
  static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }

  static TableRetention retention(DeltaLog log, Metadata metadata) {
    return new TableRetention(Duration.ofMillis(log.deltaRetentionMillis(metadata)),
        Duration.ofMillis(DeltaLog.tombstoneRetentionMillis(metadata)));
  }

  static DeltaLog deltaLog(Warehouse w, TableName table) {
    if (!w.exists(table)) {
      throw CoreErrors.tableMissing(table);
    }
    return DeltaLog.forTable(w.spark(), w.location(table));
  }

  private static scala.collection.immutable.Map<String, String> scalaMap(Map<String, String> map) {
    return scala.collection.immutable.Map$.MODULE$.from(CollectionConverters.asScala(map));
  }
}
