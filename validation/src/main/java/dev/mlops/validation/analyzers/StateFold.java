package dev.mlops.validation.analyzers;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.types.StructType;

/**
 * Folds the rows of one partition of the shared pass into fresh states, one per analyzer: each
 * analyzer's values sit at its offset in the projected row. The pass reads a partition's rows
 * (or column batches) its own way and hands them here; the partitions' states are then merged.
 *
 * <p>Serializable, so that it travels to the executors; not thread-safe in use (one per task).
 */
public final class StateFold implements Serializable {
  private static final long serialVersionUID = 1L;
  private final List<ScanAnalyzer> analyzers;
  private final StructType schema;
  private final int[] offsets;

  /**
   * @param analyzers the analyzers, in projection order
   * @param schema the schema of the data they analyze
   * @param offsets each analyzer's first value in the projected row
   */
  public StateFold(List<ScanAnalyzer> analyzers, StructType schema, int[] offsets) {
    this.analyzers = List.copyOf(analyzers);
    this.schema = schema;
    this.offsets = offsets.clone();
  }

  /** Fresh states, one per analyzer. */
  public ScanState[] empty() {
    ScanState[] states = new ScanState[analyzers.size()];
    for (int i = 0; i < states.length; i++) {
      states[i] = analyzers.get(i).newState(schema);
    }
    return states;
  }

  /** Adds one row of the projection's values to the states. */
  public void add(ScanState[] states, ValueRow row) {
    for (int i = 0; i < states.length; i++) {
      states[i].update(row, offsets[i]);
    }
  }

  /** Adds a batch of the projection's values to the states, each state the whole batch at once. */
  public void addBatch(ScanState[] states, ValueBatch batch) {
    for (int i = 0; i < states.length; i++) {
      states[i].updateBatch(batch, offsets[i]);
    }
  }

  /** {@code a} merged with {@code b}, the states of another partition; {@code a} is reused. */
  public static ScanState[] merge(ScanState[] a, ScanState[] b) {
    for (int i = 0; i < a.length; i++) {
      a[i] = a[i].merge(b[i]);
    }
    return a;
  }
}
