package dev.mlops.validation.analyzers;

/**
 * The count, sum, mean and sum of squared deviations of a double projection (nulls ignored). The
 * mean reported is the sum over the count, as Spark's {@code avg} computes it (the values added in
 * row order, a batch of them as well as rows one by one); the deviations are updated by Welford's
 * formula a row at a time, taken about the batch's own mean for a batch (the two ways agree to
 * about the last digits, and both give exactly 0 for a constant column), and merged by Chan's
 * formula, as Spark's {@code stddev_pop} merges them, so no precision is lost to a large mean.
 */
final class MomentState implements ScanState {
  private static final long serialVersionUID = 1L;
  private long n;
  private double sum;
  private double mean;
  private double m2;
  private transient double[] values;

  @Override
  public void update(ValueRow row, int offset) {
    if (row.isNullAt(offset)) {
      return;
    }
    add(row.getDouble(offset));
  }

  /**
   * Two loops without a division in them, where a row at a time divides for every value: the
   * batch's mean from its values less its first one (exact for a constant column), then the
   * squared deviations about that mean.
   */
  @Override
  public void updateBatch(ValueBatch batch, int offset) {
    values = ValueBatch.room(values, batch.rows());
    int count = batch.doubles(offset, values);
    if (count == 0) {
      return;
    }
    double[] v = values;
    double first = v[0];
    double total = sum;
    double shifted = 0;
    for (int i = 0; i < count; i++) {
      total += v[i];
      shifted += v[i] - first;
    }
    double batchMean = first + shifted / count;
    double batchM2 = 0;
    for (int i = 0; i < count; i++) {
      double d = v[i] - batchMean;
      batchM2 += d * d;
    }
    sum = total;
    combine(count, batchMean, batchM2);
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
    sum += o.sum;
    combine(o.n, o.mean, o.m2);
    return this;
  }

  /** Adds the deviations of {@code count} values of mean {@code otherMean} (Chan's formula). */
  private void combine(long count, double otherMean, double otherM2) {
    if (count == 0) {
      return;
    }
    if (n == 0) {
      n = count;
      mean = otherMean;
      m2 = otherM2;
      return;
    }
    long total = n + count;
    double delta = otherMean - mean;
    mean += delta * count / total;
    m2 += otherM2 + delta * delta * ((double) n * count / total);
    n = total;
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
