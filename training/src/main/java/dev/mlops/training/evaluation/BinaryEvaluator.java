package dev.mlops.training.evaluation;

import dev.mlops.core.spark.SparkJobs;
import dev.mlops.training.TrainingErrors;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Evaluates the predictions of a binary classifier: a DataFrame with a 0/1 label and the
 * predicted probability of 1. Make one per pair of columns; it holds no Spark state and is
 * immutable and thread-safe.
 *
 * <p>{@link #evaluate} reads the predictions twice, in four Spark jobs however many slices:
 * one group-by for the counts, the log loss and the calibration of all rows and of every slice
 * value, and a distributed sort with two passes over it for the AUCs of all of them (see
 * {@link CurveScan}). No row is collected to the driver, only a few numbers per group. If the
 * predictions are costly to compute, persist them first.
 *
 * <p>The metrics are bit-identical for the same rows however they are partitioned: the sums of
 * doubles (log loss, probabilities, trapezoids) are exact before they are rounded.
 */
public final class BinaryEvaluator {
  /** A slice column with more distinct values than this is refused by {@link #evaluate}. */
  public static final int MAX_SLICE_VALUES = 100;
  /** Equal-width calibration bins over [0, 1]. */
  static final int CALIBRATION_BINS = 10;

  private final String labelColumn;
  private final String probabilityColumn;

  /**
   * An evaluator of the given columns.
   *
   * @param labelColumn the label: 0/1 (any numeric type) or a boolean (true is 1)
   * @param probabilityColumn the predicted P(label = 1), a number in [0, 1]
   */
  public BinaryEvaluator(String labelColumn, String probabilityColumn) {
    this.labelColumn = Objects.requireNonNull(labelColumn, "labelColumn == null");
    this.probabilityColumn = Objects.requireNonNull(probabilityColumn, "probabilityColumn == null");
  }

  /**
   * Evaluates {@code predictions} at {@code threshold}: a row is predicted positive iff its
   * probability is at least {@code threshold}.
   *
   * <p>Slices: the metrics of the rows of each distinct value of each of {@code sliceColumns},
   * the value rendered as Spark casts it to a string and null as {@code "(null)"} (so a string
   * value "(null)" shares the slice of nulls); in the order of {@code sliceColumns}, then of the
   * values. Calibration: all 10 equal-width bins over [0, 1], bin i holding the probabilities in
   * [i/10, (i+1)/10) and the last one 1.0 too; an empty bin is listed with 0 rows and NaN means.
   *
   * @throws IllegalArgumentException naming the column and the columns present when a column is
   *     missing or of the wrong type; naming the column and the number of rows when labels or
   *     probabilities are null, labels not 0/1 or probabilities outside [0, 1] (no row is dropped
   *     silently); naming the column and its count when a slice column has more than 100
   *     distinct values; for a threshold outside [0, 1]
   */
  public Evaluation evaluate(Dataset<Row> predictions, double threshold, List<String> sliceColumns) {
    Objects.requireNonNull(predictions, "predictions == null");
    Objects.requireNonNull(sliceColumns, "sliceColumns == null");
    if (!(threshold >= 0.0 && threshold <= 1.0)) {
      throw TrainingErrors.thresholdOutOfRange(threshold);
    }
    Prepared in = Prepared.of(predictions, labelColumn, probabilityColumn, sliceColumns);
    SparkSession spark = predictions.sparkSession();
    Map<GroupKey, GroupCounts> counts = SparkJobs.described(spark, "evaluation: counts of " + labelColumn + " and "
        + probabilityColumn + ", overall, by calibration bin and by " + (sliceColumns.isEmpty() ? "no slice"
        : String.join(", ", sliceColumns)), () -> CountsPass.run(in, threshold, CALIBRATION_BINS, MAX_SLICE_VALUES,
        labelColumn, probabilityColumn));
    Map<GroupKey, CurveScan.Curve> curves = counts.entrySet().stream()
        .noneMatch(e -> e.getKey().set() >= 0 && e.getValue().positives() > 0 && e.getValue().negatives() > 0)
        ? Map.of() // no group has an AUC: spare the sort
        : SparkJobs.described(spark, "evaluation: ROC and PR curves of " + counts.size() + " groups", () -> CurveScan.run(in.points()));

    BinaryMetrics overall = metrics(GroupKey.OVERALL, counts, curves, threshold);
    List<CalibrationBin> calibration = new ArrayList<>();
    for (int bin = 0; bin < CALIBRATION_BINS; bin++) {
      calibration.add(counts.getOrDefault(new GroupKey(GroupKey.CALIBRATION, String.valueOf(bin)), GroupCounts.EMPTY)
          .bin(bin, CALIBRATION_BINS));
    }
    List<SliceMetrics> slices = new ArrayList<>();
    for (int i = 0; i < sliceColumns.size(); i++) {
      int set = i + 1;
      String column = sliceColumns.get(i);
      counts.keySet().stream().filter(k -> k.set() == set).sorted(Comparator.comparing(GroupKey::value))
          .forEach(k -> slices.add(new SliceMetrics(column, k.value(), metrics(k, counts, curves, threshold))));
    }
    return new Evaluation(overall, calibration, slices);
  }

  /**
   * The threshold that maximizes F1 on {@code predictions}: one of their distinct probabilities
   * (a row is predicted positive iff its probability is at least the threshold), the largest of
   * those with equal F1; 0.5 when there are no positives. Four Spark jobs, no row collected.
   *
   * @throws IllegalArgumentException as {@link #evaluate} for missing columns and bad rows
   */
  public double maxF1Threshold(Dataset<Row> predictions) {
    Objects.requireNonNull(predictions, "predictions == null");
    Prepared in = Prepared.of(predictions, labelColumn, probabilityColumn, List.of());
    SparkSession spark = predictions.sparkSession();
    GroupCounts overall = SparkJobs.described(spark, "max-F1 threshold: counts of " + labelColumn + " and " + probabilityColumn,
        () -> CountsPass.run(in, 0.5, CALIBRATION_BINS, MAX_SLICE_VALUES, labelColumn, probabilityColumn))
        .getOrDefault(GroupKey.OVERALL, GroupCounts.EMPTY);
    if (overall.positives() == 0) {
      return 0.5;
    }
    return SparkJobs.described(spark, "max-F1 threshold: F1 at each distinct " + probabilityColumn, () -> CurveScan.run(in.points()))
        .get(GroupKey.OVERALL).maxF1Threshold();
  }

  private static BinaryMetrics metrics(GroupKey key, Map<GroupKey, GroupCounts> counts,
      Map<GroupKey, CurveScan.Curve> curves, double threshold) {
    CurveScan.Curve curve = curves.getOrDefault(key, new CurveScan.Curve(Double.NaN, Double.NaN, Double.NaN));
    return counts.getOrDefault(key, GroupCounts.EMPTY).metrics(curve.rocAuc(), curve.prAuc(), threshold);
  }

}
