package dev.mlops.validation.analyzers;

import org.apache.spark.sql.catalyst.InternalRow;

/**
 * The count, mean and sum of squared deviations of a double projection (nulls ignored), updated
 * as Welford's and merged as Chan's formulas, the way Spark's {@code avg} and {@code stddev_pop}
 * do it, so no precision is lost to a large mean.
 */
final class MomentState implements ScanState {
  private static final long serialVersionUID = 1L;
  private long n;
  private double mean;
  private double m2;

  @Override
  public void update(InternalRow row, int offset) {
    if (row.isNullAt(offset)) {
      return;
    }
    double x = row.getDouble(offset);
    n++;
    double delta = x - mean;
    mean += delta / n;
    m2 += delta * (x - mean);
  }

  @Override
  public ScanState merge(ScanState other) {
    MomentState o = (MomentState) other;
    if (o.n == 0) {
      return this;
    }
    long total = n + o.n;
    double delta = o.mean - mean;
    mean += delta * o.n / total;
    m2 += o.m2 + delta * delta * ((double) n * o.n / total);
    n = total;
    return this;
  }

  long count() {
    return n;
  }

  double mean() {
    return mean;
  }

  double populationStddev() {
    return Math.sqrt(m2 / n);
  }
}
