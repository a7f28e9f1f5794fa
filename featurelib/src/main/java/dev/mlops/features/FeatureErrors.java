package dev.mlops.features;

import dev.mlops.core.PlatformException;
import dev.mlops.core.config.Durations;
import dev.mlops.core.tables.TableName;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;

/**
 * The user-facing errors of the feature store: each message says what is wrong, why, and how to
 * fix it. Every method returns the exception for the caller to throw ({@code throw
 * FeatureErrors.viewNotRegistered(...)}). Problems in the feature repository's YAML files are
 * reported by its loader, all at once, through {@link dev.mlops.core.config.Problems}; programming
 * mistakes stay {@link IllegalArgumentException}s and {@link IllegalStateException}s.
 *
 * <p>Stateless and thread-safe.
 */
public final class FeatureErrors {
  private FeatureErrors() {}

  // ---- the feature repository and the registry ------------------------------------------------

  /** Thrown when the feature repository's folder does not exist. */
  public static PlatformException repoFolderMissing(String displayDir) {
    return new PlatformException(displayDir + ": feature repository folder not found (set features.repo in the config)");
  }

  /** Thrown when the feature repository's folder holds no YAML file. */
  public static PlatformException repoEmpty(String displayDir) {
    return new PlatformException(displayDir + ": no feature definitions (*.yaml) in the folder; add them, or set"
        + " features.repo in the config to the folder that holds them");
  }

  /** Thrown when a SQL view's query no longer resolves against its sources (a column dropped or renamed). */
  public static PlatformException viewQueryFails(String view, List<String> sources, String sparkMessage) {
    return new PlatformException("Cannot materialize " + view + ": its sql no longer runs on its sources " + sources
        + " as they are now: " + sparkMessage + "; a source column was probably dropped or renamed: restore it in the"
        + " source, or change the view's sql and bump its version (nothing was written)");
  }

  /** Thrown when a SQL view's query gives a feature of another kind than the view declares (a source column retyped). */
  public static PlatformException featureRetyped(String view, String feature, String declared, String now) {
    return new PlatformException("Cannot materialize " + view + ": its sql gives feature " + feature + " as " + now
        + " but the view declares it " + declared + "; a source column probably changed type: cast it back in the"
        + " view's sql, or declare the new type in a new version of the view (nothing was written)");
  }

  /** Thrown when a view asked for by name (and version) is not in the loaded feature repository. */
  public static PlatformException viewNotDefined(String name, Integer version, List<String> defined) {
    return new PlatformException("Feature view " + name + versionText(version)
        + " is not defined in the feature repository (views: " + String.join(", ", defined) + "); name one of those,"
        + " or define it in the repository");
  }

  /** Thrown when a service asked for by name (and version) is not in the loaded feature repository. */
  public static PlatformException serviceNotDefined(String name, Integer version, List<String> defined) {
    return new PlatformException("Feature service " + name + versionText(version)
        + " is not defined in the feature repository (services: " + String.join(", ", defined) + "); name one of"
        + " those, or define it in the repository");
  }

  /** Thrown when a view asked for by name (and version) has not been applied to the registry. */
  public static PlatformException viewNotRegistered(String name, Integer version, List<String> registered) {
    return new PlatformException("Feature view " + name + versionText(version)
        + " is not registered; run `mlops features apply` first (registered: " + String.join(", ", registered) + ")");
  }

  /** Thrown when a service asked for by name (and version) has not been applied to the registry. */
  public static PlatformException serviceNotRegistered(String name, Integer version, List<String> registered) {
    return new PlatformException("Feature service " + name + versionText(version)
        + " is not registered; run `mlops features apply` first (registered: " + String.join(", ", registered) + ")");
  }

  /**
   * Thrown when applying the repository would change the definition of registered view or service
   * versions; {@code refused} says, for each, what changed and to bump its version.
   */
  public static PlatformException applyRefused(List<String> refused) {
    return new PlatformException("Cannot apply the feature repository: " + String.join("\n", refused));
  }

  /** Thrown when a new view version's table already exists in the warehouse but no view owns it. */
  public static PlatformException tableNotOwned(String viewId, TableName table) {
    return new PlatformException("Cannot create the table of feature view " + viewId + ": " + table
        + " already exists but the view is not registered. Drop it (`mlops sql \"DROP TABLE " + table
        + "\"`) or bump the view's version.");
  }

  // ---- materialization ----------------------------------------------------------------------

  /** Thrown when a materialization's last day comes before its first. */
  public static PlatformException rangeReversed(String viewId, LocalDate firstDay, LocalDate lastDay) {
    return new PlatformException("Cannot materialize " + viewId + ": --end " + lastDay + " is before --start " + firstDay
        + "; pass an --end on or after the --start");
  }

  /**
   * Thrown when a view is materialized with a definition other than the one applied under its
   * version; {@code diff} lists the changes.
   */
  public static PlatformException definitionChanged(String viewId, List<String> diff) {
    return new PlatformException("Cannot materialize " + viewId + ": its definition changed since it was applied:\n    "
        + String.join("\n    ", diff) + "\n  Bump its version and run `mlops features apply`.");
  }

  /**
   * Thrown when computed feature rows break their features' constraints; {@code violations} names
   * each feature, its rows and example keys. Nothing has been written.
   */
  public static PlatformException constraintViolations(String viewId, List<String> violations) {
    return new PlatformException("Cannot materialize " + viewId + ": constraint violations, nothing written:\n  "
        + String.join("\n  ", violations) + "\n  Fix those rows in the source, or change the constraints and bump"
        + " the view's version.");
  }

  /**
   * Thrown when another job committed to a view's table between this materialization's read of it
   * and its commit (two materializations of the same days racing): Delta refused this one's commit.
   */
  public static PlatformException materializationRaced(String viewId, LocalDate firstDay, LocalDate lastDay,
      TableName table, RuntimeException cause) {
    return new PlatformException("Cannot materialize " + viewId + " for " + firstDay + " .. " + lastDay + ": another job"
        + " committed to " + table + " while this one ran (" + cause.getClass().getSimpleName() + "), so this one wrote"
        + " nothing; the table holds the other job's rows. Run one materialization of a view at a time; re-run this one"
        + " if its source changed since", cause);
  }

  /**
   * Thrown when an aggregation view's expressions no longer resolve on its source (a column dropped
   * or renamed).
   */
  public static PlatformException aggregationSourceFails(String viewId, String source, String sparkMessage) {
    return new PlatformException("Cannot materialize " + viewId + ": its aggregation no longer runs on its source "
        + source + " as it is now: " + sparkMessage + "; a source column was probably dropped or renamed: restore it"
        + " in the source, or change the view and bump its version (nothing was written)");
  }

  /**
   * Thrown when a column an aggregation view reads has a type the view cannot use (a column retyped):
   * {@code what} says what it is (a join key, the input of a feature) and {@code expected} what it must be.
   */
  public static PlatformException aggregationColumnRetyped(String viewId, String source, String what, String now,
      String expected) {
    return new PlatformException("Cannot materialize " + viewId + ": " + what + " is " + now + " in its source " + source
        + " but must be " + expected + "; a source column probably changed type: cast it back in the source, or change"
        + " the view and bump its version (nothing was written)");
  }

  // ---- maintenance --------------------------------------------------------------------------

  /** Thrown when a feature table's history retention is to be raised to no or a negative duration. */
  public static PlatformException badRetention(TableName table, Duration retention) {
    return new PlatformException("Cannot raise the history retention of " + table + " to " + text(retention)
        + ": the retention must be a positive duration, for example 90d");
  }

  /** Thrown when a feature table's metadata kept changing under a retention change. */
  public static PlatformException retentionConflict(TableName table, int attempts, RuntimeException cause) {
    return new PlatformException("Cannot raise the history retention of " + table + ": its metadata changed " + attempts
        + " times while trying (" + cause.getMessage() + "); run it again when the other jobs writing the table are done",
        cause);
  }

  /** Thrown when a vacuum is asked for with a retention that is not zero or more whole hours. */
  public static PlatformException badVacuumRetention(TableName table, Duration retain) {
    return new PlatformException("Cannot vacuum " + table + " with retention " + text(retain)
        + ": the retention must be zero or more whole hours (Delta rounds it to hours), for example --retain 168h");
  }

  /** Thrown when a vacuum's retention is shorter than the time the table keeps removed files. */
  public static PlatformException retentionBelowTable(TableName table, long retainHours, long tableHours) {
    return new PlatformException("Cannot vacuum " + table + " with retention " + retainHours + "h: the table keeps removed"
        + " files for " + tableHours + "h (delta.deletedFileRetentionDuration), and a shorter vacuum retention could delete"
        + " files that running jobs still read; vacuum with --retain " + tableHours + "h or more (Delta's"
        + " spark.databricks.delta.retentionDurationCheck.enabled=false lifts this check when nothing writes or reads the"
        + " table meanwhile)");
  }

  /** Thrown when a vacuum would delete files that table pins still need: every reason, then every fix. */
  public static PlatformException pinsBlockVacuum(TableName table, long retainHours, List<String> reasons,
      List<String> fixes) {
    return new PlatformException("Cannot vacuum " + table + " with retention " + retainHours + "h: "
        + String.join("; ", reasons) + "; " + String.join("; ", fixes));
  }

  // ---- the online store ---------------------------------------------------------------------

  /** Thrown when the online store's Redis server refuses the configured user or password. */
  public static PlatformException redisLoginFailed(String address, String user, String why, Exception cause) {
    return new PlatformException("Cannot log in to the online store's Redis server at " + address
        + (user == null ? "" : " as " + user) + ": " + why + " (check redis.user and the password given by the environment)",
        cause);
  }

  /** Thrown when the online store's Redis server cannot be reached. */
  public static PlatformException redisUnreachable(String address, String why, Exception cause) {
    return new PlatformException("Cannot reach the online store's Redis server at " + address + ": " + why
        + " (is it running? check redis.host and redis.port)", cause);
  }

  /** Thrown when the online store's Redis server answers a read with an error. */
  public static PlatformException redisRefusedRead(String address, String why, Exception cause) {
    return new PlatformException("The online store's Redis server at " + address + " refused a read: " + why
        + " (fix what the server reports; a key of another type means something else writes the store's keys)", cause);
  }

  /** Thrown when the Redis server stayed unreachable through every retry of a sync's writes. */
  public static PlatformException redisStayedUnreachable(String view, int version, String address, int attempts,
      RuntimeException cause) {
    return new PlatformException("Cannot sync " + view + " v" + version + ": the Redis server at " + address
        + " stayed unreachable after " + attempts + " attempts over about 15 s; re-run the sync", cause);
  }

  /** Thrown when the Redis server answers a sync's write with an error. */
  public static PlatformException redisRefusedWrite(String view, int version, RuntimeException cause) {
    return new PlatformException("Cannot sync " + view + " v" + version + ": Redis refused a write: " + cause.getMessage()
        + "; fix what the server reports (often its memory limit, maxmemory), then re-run the sync", cause);
  }

  /** Thrown when the Redis server lost a sync's data while the sync ran (it restarted). */
  public static PlatformException redisLostSync(String view, int version, String address) {
    return new PlatformException("Cannot sync " + view + " v" + version + ": the Redis server at " + address
        + " lost its data during the sync (restarted?); re-run the sync, it will rebuild the view in full");
  }

  /**
   * Thrown when the masters of a Redis Cluster changed while a sync wrote to it (a failover, a
   * master replaced): writes acknowledged by the old master may be gone.
   */
  public static PlatformException clusterChangedDuringSync(String viewId, String address, String before, String after) {
    return new PlatformException("Cannot finish the sync of " + viewId + ": the masters of the Redis Cluster at " + address
        + " changed during the sync (before: " + before + "; after: " + after + "), so writes acknowledged by a master"
        + " that went away may be lost; re-run the sync once the cluster is healthy (cluster_state:ok), it will rebuild"
        + " the view in full");
  }

  /** Thrown when no seed node of a Redis Cluster answers with its slot map. */
  public static PlatformException clusterUnreachable(String address, String why, Exception cause) {
    return new PlatformException("Cannot read the slot map of the Redis Cluster at " + address + ": " + why
        + " (are the nodes running and is the cluster formed? check redis.nodes and that cluster_state is ok)", cause);
  }

  /** Thrown when a slot of a Redis Cluster has no master. */
  public static PlatformException clusterSlotUncovered(String address, int slot) {
    return new PlatformException("Cannot use the Redis Cluster at " + address + ": slot " + slot + " is served by no master"
        + " (cluster_state is not ok); assign every slot (CLUSTER ADDSLOTS, or redis-cli --cluster fix), then re-run");
  }

  /** Thrown when a thread waiting to retry Redis is interrupted (the job is being stopped). */
  public static PlatformException interruptedWaitingForRedis(InterruptedException cause) {
    return new PlatformException("Interrupted while waiting for Redis; re-run the sync", cause);
  }

  /**
   * Thrown when a sync cannot record that it finished: the server lost its data ({@code marker}
   * null), or another sync, run {@code marker}, started on the view meanwhile.
   */
  public static PlatformException syncNotFinished(String viewId, String address, String marker) {
    return new PlatformException("Cannot finish the sync of " + viewId + ": " + (marker == null
        ? "the Redis server at " + address + " lost its data during the sync (restarted?); re-run the sync,"
            + " it will rebuild the view in full"
        : "another sync (run " + marker + ") started on it meanwhile; let that one finish"));
  }

  /** Thrown when another sync, run {@code holder}, holds the lease on what is to be synced. */
  public static PlatformException syncBusy(String what, String holder, long leaseSeconds) {
    return new PlatformException("Cannot sync " + what + ": another sync (run " + holder + ") is running on it; let"
        + " that one finish (a sync that died lets go " + leaseSeconds + " s after it stopped)");
  }

  /** Thrown when the lease on what is to be synced was taken by others on every attempt. */
  public static PlatformException syncContended(String what) {
    return new PlatformException("Cannot sync " + what + ": other syncs keep taking it; retry later");
  }

  /** The errors of a refused sync lease on {@code what} (a view version). */
  public static dev.mlops.core.redis.RedisLease.Refusal syncRefusal(String what) {
    return new dev.mlops.core.redis.RedisLease.Refusal() {
      @Override
      public PlatformException heldBy(String holder, long leaseSeconds) {
        return syncBusy(what, holder, leaseSeconds);
      }

      @Override
      public PlatformException contended() {
        return syncContended(what);
      }
    };
  }

  /** Thrown when a view is verified against the online store but was never synced to it. */
  public static PlatformException neverSynced(String viewId, String service) {
    return new PlatformException("Cannot verify " + viewId + ": it was never synced; run `mlops online sync --service "
        + service + "` first");
  }

  /** Thrown when a service (at {@code version}, or any when null) is not in the online store. */
  public static PlatformException serviceNotOnline(String service, Integer version, String address) {
    return new PlatformException("Feature service " + service + versionText(version) + " is not in the online store at "
        + address + "; run `mlops online sync --service " + service + "` first");
  }

  /** Thrown when a view of a service synced to the online store is missing from it. */
  public static PlatformException viewNotOnline(String view, int version, String service) {
    return new PlatformException("Feature view " + view + " v" + version + " of service " + service
        + " is not in the online store; run `mlops online sync --service " + service + "`");
  }

  /** Thrown when an online read's entity key lacks one of the view's join keys. */
  public static PlatformException entityKeyIncomplete(String view, int version, String missing, Collection<String> given,
      List<String> joinKeys) {
    return new PlatformException("Cannot read view " + view + " v" + version + ": the entity key has no " + missing
        + " (given: " + given + "); give a value for each of its join keys " + joinKeys);
  }

  /**
   * Thrown when an online read is given a join key value that is not of the key's type (text that
   * does not parse as it, or a Java value of another type).
   */
  public static PlatformException entityKeyType(String view, int version, String key, String type, Object given) {
    String example = switch (type) {
      case "bigint", "int" -> "an integer such as 42";
      case "date" -> "a date such as 2026-11-01";
      case "timestamp" -> "an ISO-8601 instant such as 2026-11-01T08:00:00Z";
      case "boolean" -> "true or false";
      case "double", "float" -> "a number such as 0.5";
      default -> "text";
    };
    String shown = given instanceof CharSequence ? "\"" + given + "\"" : given + " (" + given.getClass().getSimpleName() + ")";
    return new PlatformException("Cannot read view " + view + " v" + version + ": join key " + key + " is " + type
        + ", and " + shown + " is not a " + type + ", so no entity can have it; give " + example);
  }

  // ---- point-in-time joins and retrieval ---------------------------------------------------------

  /** Thrown when the spine's time column is neither a timestamp nor a date. */
  public static PlatformException joinTimeType(String column, String type) {
    return new PlatformException("Cannot join features: the spine's time column " + column + " is " + type
        + "; it must be a timestamp or a date");
  }

  /** Thrown when a join key has one type in the spine and another in a feature table. */
  public static PlatformException joinKeyTypes(String key, String spineType, String featureType) {
    return new PlatformException("Cannot join features: join key " + key + " is " + spineType + " in the spine but "
        + featureType + " in the feature table; cast the spine's column to " + featureType);
  }

  /** Thrown when the join's output would have two columns of one name. */
  public static PlatformException joinOutputClash(String name) {
    return new PlatformException("Cannot join features: the output would have two columns named " + name
        + " (the spine has one, or two features share the name); rename the spine column or name features"
        + " <view>__<feature> (full-feature-names: true in the service)");
  }

  /** Thrown when a column the join needs is missing. */
  public static PlatformException joinColumnMissing(String what, String column, List<String> columns) {
    return new PlatformException("Cannot join features: no " + what + " column " + column + " (columns: "
        + String.join(", ", columns) + "); name a column that is there");
  }

  /** Thrown when the join was interrupted while the feature rows were shuffled. */
  public static PlatformException joinInterrupted(InterruptedException cause) {
    return new PlatformException("Interrupted while shuffling the feature rows for the join; run it again", cause);
  }

  /** Thrown when the shuffle of the feature rows failed with a checked exception. */
  public static PlatformException joinShuffleFailed(Throwable cause) {
    return new PlatformException("Cannot shuffle the feature rows for the join: " + cause + "; see the cause, then run it"
        + " again", cause);
  }

  /** Thrown when a view that a retrieval reads has no materialization at the table version read. */
  public static PlatformException notMaterialized(String view, int version, Object table) {
    return new PlatformException("Cannot retrieve features: " + view + " v" + version + " has no materialization at "
        + table + "; run `mlops features materialize --view " + view + "` first");
  }

  /** Thrown when the spine reaches past what a view is materialized up to: its features would be stale. */
  public static PlatformException staleFeatures(String view, int version, java.time.Instant until, java.time.Instant last) {
    return new PlatformException("Cannot retrieve features: " + view + " v" + version + " is materialized up to " + until
        + " (exclusive) but the spine reaches " + last + "; materialize " + until.toString().substring(0, 10) + " .. "
        + last.toString().substring(0, 10) + " first");
  }

  /** Thrown when pins name views that the service does not have. */
  public static PlatformException pinsNotInService(Collection<String> pinned, String service, List<String> views) {
    return new PlatformException("Cannot pin " + pinned + ": not views of service " + service + " (its views: "
        + String.join(", ", views) + "); pin only those");
  }

  /** Thrown when a pin names a version the view's table does not have. */
  public static PlatformException pinOutOfRange(String view, long version, Object table, long current) {
    return new PlatformException("Cannot pin " + view + " at version " + version + ": its table " + table
        + " has versions 0 to " + current + "; pin one of those");
  }

  /** Thrown when the spine lacks a join key of the service's views. */
  public static PlatformException spineKeyMissing(String service, String key, List<String> columns) {
    return new PlatformException("Cannot retrieve features of " + service + ": the spine has no join key column " + key
        + " (spine columns: " + String.join(", ", columns) + "); add it to the spine");
  }

  private static String versionText(Integer version) {
    return version == null ? "" : " v" + version;
  }

  private static String text(Duration d) {
    return d == null ? "none" : d.isZero() ? "0s" : Durations.format(d);
  }
}
