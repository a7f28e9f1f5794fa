package dev.mlops.validation.analyzers;

import org.apache.spark.sql.catalyst.InternalRow;

/**
 * The count, sum, mean and sum of squared deviations of a double projection (nulls ignored). The
 * mean reported is the sum over the count, as Spark's {@code avg} computes it; the deviations are
 * updated by Welford's and merged by Chan's formulas, as Spark's {@code stddev_pop} computes them,
 * so no precision is lost to a large mean.
 */
final class MomentState implements ScanState {
  private static final long serialVersionUID = 1L;
  private long n;
  private double sum;
  private double mean;
  private double m2;
  private transient double[] values;

  @Override
  public void update(InternalRow row, int offset) {
    if (row.isNullAt(offset)) {
      return;
    }
    add(row.getDouble(offset));
  }

  @Override
  public void updateBatch(ValueBatch batch, int offset) {
    values = ValueBatch.room(values, batch.rows());
    int count = batch.doubles(offset, values);
    for (int i = 0; i < count; i++) {
      add(values[i]);
    }
  }

  private void add(double x) {
    n++;
    sum += x;
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
    sum += o.sum;
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
    return sum / n;
  }

  double populationStddev() {
    return Math.sqrt(m2 / n);
  }
}
