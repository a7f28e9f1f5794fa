package dev.mlops.validation.analyzers;

/** The greatest value of a bigint projection (nulls ignored). */
final class MaxState implements ScanState {
  private static final long serialVersionUID = 1L;
  private boolean seen;
  private long max = Long.MIN_VALUE;
  private transient long[] values;

  @Override
  public void update(ValueRow row, int offset) {
    if (!row.isNullAt(offset)) {
      seen = true;
      max = Math.max(max, row.getLong(offset));
    }
  }

  @Override
  public void updateBatch(ValueBatch batch, int offset) {
    values = ValueBatch.room(values, batch.rows());
    int count = batch.longs(offset, values);
    for (int i = 0; i < count; i++) {
      max = Math.max(max, values[i]);
    }
    seen |= count > 0;
  }

  @Override
  public ScanState merge(ScanState other) {
    MaxState o = (MaxState) other;
    if (o.seen) {
      seen = true;
      max = Math.max(max, o.max);
    }
    return this;
  }

  boolean seen() {
    return seen;
  }

  long max() {
    return max;
  }
}
