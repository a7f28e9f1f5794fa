package dev.mlops.validation.analyzers;

/**
 * Counts rows and, when the analyzer projects a boolean (a column being set, a predicate
 * passing), the rows where it is true.
 */
final class CountState implements ScanState {
  private static final long serialVersionUID = 1L;
  private final boolean counting;
  private long rows;
  private long hits;

  /** @param counting whether the analyzer projects a boolean to count */
  CountState(boolean counting) {
    this.counting = counting;
  }

  @Override
  public void update(ValueRow row, int offset) {
    rows++;
    if (counting && row.getBoolean(offset)) {
      hits++;
    }
  }

  @Override
  public void updateBatch(ValueBatch batch, int offset) {
    rows += batch.rows();
    if (counting) {
      hits += batch.trueCount(offset);
    }
  }

  @Override
  public ScanState merge(ScanState other) {
    CountState o = (CountState) other;
    rows += o.rows;
    hits += o.hits;
    return this;
  }

  long rows() {
    return rows;
  }

  long hits() {
    return hits;
  }

  /** The share of rows that are hits, 1 when there is no row. */
  double share() {
    return rows == 0 ? 1.0 : (double) hits / rows;
  }
}
