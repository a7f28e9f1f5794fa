package dev.mlops.core.config;

/**
 * The online store's behaviour.
 *
 * @param maxMismatchRate the share of compared feature values {@code online verify} tolerates
 *     differing from the offline table before it fails (default 0: any mismatch fails)
 * @param writeBatch writes per pipelined batch of a sync (default 500)
 * @param readConnections the readers' connection pool size (default 8)
 */
public record OnlineConfig(Double maxMismatchRate, Integer writeBatch, Integer readConnections) {
  public OnlineConfig {
    maxMismatchRate = maxMismatchRate == null ? 0.0 : maxMismatchRate;
    if (maxMismatchRate < 0 || maxMismatchRate > 1) {
      throw new ConfigValueException("max-mismatch-rate", "must be between 0 and 1, got " + maxMismatchRate);
    }
    writeBatch = writeBatch == null ? 500 : writeBatch;
    if (writeBatch < 1 || writeBatch > 100_000) {
      throw new ConfigValueException("write-batch", "must be between 1 and 100000, got " + writeBatch);
    }
    readConnections = readConnections == null ? 8 : readConnections;
    if (readConnections < 1) {
      throw new ConfigValueException("read-connections", "must be at least 1, got " + readConnections);
    }
  }

  /** The defaults. */
  public static OnlineConfig defaults() {
    return new OnlineConfig(null, null, null);
  }
}
