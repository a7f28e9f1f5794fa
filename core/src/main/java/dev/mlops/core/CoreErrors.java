package dev.mlops.core;

import dev.mlops.core.tables.TableName;
import java.time.LocalDate;

/**
 * The user-facing errors of the core module: each message says what is wrong, why, and how to fix
 * it. Every method returns the exception for the caller to throw ({@code throw
 * CoreErrors.tableMissing(table)}). Errors in configuration files are {@code ConfigException}s
 * reported through {@link dev.mlops.core.config.Problems}; programming mistakes stay
 * {@link IllegalArgumentException}s and {@link IllegalStateException}s.
 *
 * <p>Stateless and thread-safe.
 */
public final class CoreErrors {
  private CoreErrors() {}

  /** Thrown when a job reads, or asks the version of, a table that is not in the warehouse. */
  public static PlatformException tableMissing(TableName table) {
    return new PlatformException("Table " + table + " does not exist in the warehouse; run the job that"
        + " creates it first (see `mlops sql \"SHOW TABLES IN " + table.database() + "\"`)");
  }

  /** Thrown when the demo data is asked for at a scale outside (0, 1000]. */
  public static PlatformException demoScaleOutOfRange(double scale) {
    return new PlatformException("Cannot generate demo data: --scale must be in (0, 1000], got " + scale);
  }

  /** Thrown when the demo data is asked for fewer than 7 days. */
  public static PlatformException demoTooFewDays(int days) {
    return new PlatformException("Cannot generate demo data: --days must be at least 7, got " + days);
  }

  /** Thrown when the demo's drift date is not a day after the first day of the data and inside it. */
  public static PlatformException demoDriftOutsideData(LocalDate driftDate, LocalDate start, int days) {
    return new PlatformException("Cannot generate demo data: the drift date " + driftDate
        + " must fall inside the data, after " + start + "; pass a --drift-date from " + start.plusDays(1) + " to "
        + start.plusDays(days - 1L) + ", or leave it out");
  }

  /**
   * Thrown when no Redis server is configured and the platform cannot run one itself, because the
   * warehouse is not a local folder.
   */
  public static PlatformException redisNotConfigured(String warehouseRoot) {
    return new PlatformException("redis.host is not set and the warehouse " + warehouseRoot + " is not a local folder:"
        + " set redis.host (and redis.port) to the online store's server");
  }

  /**
   * Thrown when {@code redis.host} is not set and Spark runs on a cluster: the local server the
   * platform would start listens on the driver's loopback, out of the executors' reach.
   */
  public static PlatformException redisNotConfiguredForCluster(String master) {
    return new PlatformException("redis.host is not set and Spark runs on the cluster " + master + ": the Redis server"
        + " the platform starts for local runs would listen on this host's loopback, which executors on other hosts"
        + " cannot reach; set redis.host (and redis.port) to the online store's server");
  }

  /**
   * Thrown when a job would write to a warehouse in S3 while another process, {@code holder}, is
   * writing to it: Delta on S3 without a commit coordinator takes one writer at a time.
   */
  public static PlatformException warehouseWriterBusy(String root, String job, String holder, long leaseSeconds) {
    return new PlatformException("Cannot start " + job + " on the warehouse " + root + ": another job is writing to it ("
        + holder + "). Delta on S3 without a commit coordinator takes one writing process at a time (see"
        + " docs/ARCHITECTURE.md, \"Concurrent writers on S3\"); run it when that job has finished (a job that died"
        + " lets go " + leaseSeconds + " s after it stopped)");
  }

  /** Thrown when the Redis server that holds the S3 warehouse's writer lease cannot be reached. */
  public static PlatformException writerLeaseUnreachable(String root, String job, RuntimeException cause) {
    return new PlatformException("Cannot start " + job + " on the warehouse " + root + ": the Redis server that holds"
        + " its writer lease cannot be reached (" + cause.getMessage() + "); check redis.host and redis.port, which"
        + " a warehouse in S3 needs", cause);
  }

  /**
   * Thrown when a write into a table ran out of disk space: Delta committed nothing, so the table
   * keeps its previous version (the files written before the disk filled are orphans that the
   * table's vacuum deletes).
   */
  public static PlatformException noSpaceLeft(String table, String location, Exception cause) {
    return new PlatformException("Cannot write " + table + " at " + location + ": no space left on the device (No space"
        + " left on device); nothing was committed, and the table keeps its previous version. Free space on that device"
        + " or move the warehouse (warehouse.root), then run the job again", cause);
  }

  /** Thrown when a report file (validation's, drift's) cannot be written: names the file. */
  public static PlatformException reportNotWritten(String what, String uri, Exception cause) {
    return new PlatformException("Cannot write the " + what + " " + uri + ": " + cause.getMessage()
        + "; check that the folder is writable and the file system's settings (fs.*) reach it", cause);
  }
}
