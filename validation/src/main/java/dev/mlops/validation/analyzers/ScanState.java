package dev.mlops.validation.analyzers;

import java.io.Serializable;

/**
 * What a {@link ScanAnalyzer} accumulates over the rows of a partition in the shared pass: fed
 * each row's values of the analyzer's projections, then merged with the states of the other
 * partitions (associative, commutative). Serializable, so that executors send their states to the
 * driver. Not thread-safe: one per analyzer and partition.
 */
public interface ScanState extends Serializable {
  /** Adds one row, whose values of the analyzer's projections are at {@code offset ..} of {@code row}. */
  void update(ValueRow row, int offset);

  /** Adds every row of {@code batch}, in order; states that can read a whole value column at once do. */
  default void updateBatch(ValueBatch batch, int offset) {
    int rows = batch.rows();
    for (int r = 0; r < rows; r++) {
      update(batch.row(r), offset);
    }
  }

  /** This state merged with {@code other}, a state of the same analyzer; this one may be reused. */
  ScanState merge(ScanState other);
}
