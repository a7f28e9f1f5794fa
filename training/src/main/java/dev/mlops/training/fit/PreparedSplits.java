package dev.mlops.training.fit;

import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A training set split by time and laid out the same way every time (hash-partitioned by the
 * row keys and sorted within partitions), with the label as a double and, with class weighting,
 * a weight per row. Cached; {@link #release()} when done.
 *
 * @param train the training rows
 * @param validation the rows that pick the candidate and the threshold
 * @param test the held-out rows the version is judged on
 * @param rows rows per split ({@code train}, {@code validation}, {@code test})
 * @param positiveWeight the weight of a positive row (1 without class weighting)
 * @param negativeWeight the weight of a negative row
 * @param cached the cached datasets behind the splits, dropped by {@link #release()}
 */
public record PreparedSplits(Dataset<Row> train, Dataset<Row> validation, Dataset<Row> test, Map<String, Long> rows,
    double positiveWeight, double negativeWeight, java.util.List<Dataset<Row>> cached) {
  /** Drops the cached splits. */
  public void release() {
    cached.forEach(Dataset::unpersist);
  }
}
