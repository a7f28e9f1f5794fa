package dev.mlops.training.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mlops.testkit.SparkJobs;
import dev.mlops.testkit.TestPlatform;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.spark.mllib.evaluation.BinaryClassificationMetrics;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.Tuple2;

/**
 * BinaryEvaluator on an 8-row fixture computed by hand, on random data against brute force (and
 * against MLlib itself), and its errors.
 */
class BinaryEvaluatorTest {
  static final StructType SCHEMA = new StructType().add("label", DataTypes.IntegerType).add("p", DataTypes.DoubleType)
      .add("segment", DataTypes.StringType).add("bucket", DataTypes.IntegerType);
  static final BinaryEvaluator EVALUATOR = new BinaryEvaluator("label", "p");

  @TempDir static Path dir;
  static SparkSession spark;

  @BeforeAll
  static void session() {
    spark = TestPlatform.create(dir).spark();
    spark.conf().set("spark.sql.adaptive.enabled", "false"); // one job per action, as counted below
  }

  static Dataset<Row> frame(List<Row> rows) {
    return spark.createDataFrame(rows, SCHEMA);
  }

  /**
   * Eight rows, four positives; at threshold 0.5, 3 true and 2 false positives. Sorted by p: 1.0+
   * 0.8+ 0.7- 0.6+ 0.6- 0.4- 0.3+ 0.0-.
   */
  static final List<Row> FIXTURE = List.of(
      RowFactory.create(1, 1.0, "a", 0), RowFactory.create(1, 0.8, "a", 0), RowFactory.create(0, 0.7, "b", 0),
      RowFactory.create(1, 0.6, "b", 0), RowFactory.create(0, 0.6, "a", 0), RowFactory.create(0, 0.4, "b", 0),
      RowFactory.create(1, 0.3, null, 0), RowFactory.create(0, 0.0, "a", 0));

  @Test
  void theFixturesMetricsCalibrationAndSlicesAreTheHandComputedOnes() {
    Evaluation e = EVALUATOR.evaluate(frame(FIXTURE).repartition(3), 0.5, List.of("segment"));
    double tiny = -Math.log(1 - 1e-15); // the log loss of p = 1 for a 1 (and of p = 0 for a 0), clipped

    BinaryMetrics all = e.overall();
    assertThat(all.rows()).isEqualTo(8);
    assertThat(all.positives()).isEqualTo(4);
    // Mann-Whitney: 1.0 and 0.8 beat all 4 negatives, 0.6 beats 2 and ties 1, 0.3 beats 1: 11.5 / 16.
    assertThat(all.rocAuc()).as("roc_auc").isCloseTo(11.5 / 16, within(1e-15));
    // PR points (recall, precision) from (0, 1): (.25, 1) (.5, 1) (.5, 2/3) (.75, 3/5) (.75, 1/2) (1, 4/7) (1, 1/2):
    // 1/2 + (1/4)(2/3 + 3/5)/2 + (1/4)(1/2 + 4/7)/2 = 1/2 + 19/120 + 15/112 = 1331/1680.
    assertThat(all.prAuc()).as("pr_auc").isCloseTo(1331.0 / 1680, within(1e-15));
    assertThat(all.logLoss()).as("log_loss").isCloseTo(
        (-Math.log(0.8) - 2 * Math.log(0.3) - 2 * Math.log(0.6) - Math.log(0.4) + 2 * tiny) / 8, within(1e-15));
    assertThat(all.precision()).as("precision").isEqualTo(3.0 / 5);
    assertThat(all.recall()).as("recall").isEqualTo(3.0 / 4);
    assertThat(all.f1()).as("f1 = 2*3 / (2*3 + 2 + 1)").isEqualTo(6.0 / 9);
    assertThat(all.accuracy()).as("accuracy").isEqualTo(5.0 / 8);
    assertThat(all.predictedPositiveRate()).as("predicted_positive_rate").isEqualTo(5.0 / 8);
    assertThat(all.threshold()).isEqualTo(0.5);

    assertThat(e.calibration()).hasSize(10);
    double nan = Double.NaN;
    assertThat(e.calibration()).containsExactly(
        new CalibrationBin(0, 0.0, 0.1, 1, 0.0, 0.0), new CalibrationBin(1, 0.1, 0.2, 0, nan, nan),
        new CalibrationBin(2, 0.2, 0.3, 0, nan, nan), new CalibrationBin(3, 0.3, 0.4, 1, 0.3, 1.0),
        new CalibrationBin(4, 0.4, 0.5, 1, 0.4, 0.0), new CalibrationBin(5, 0.5, 0.6, 0, nan, nan),
        new CalibrationBin(6, 0.6, 0.7, 2, 0.6, 0.5), new CalibrationBin(7, 0.7, 0.8, 1, 0.7, 0.0),
        new CalibrationBin(8, 0.8, 0.9, 1, 0.8, 1.0), new CalibrationBin(9, 0.9, 1.0, 1, 1.0, 1.0));

    assertThat(e.slices()).extracting(SliceMetrics::value).containsExactly("(null)", "a", "b");
    // a: 1.0+ 0.8+ 0.6- 0.0-; both positives above both negatives; at 0.5: tp 2, fp 1, fn 0, tn 1.
    BinaryMetrics a = e.slice("segment", "a").orElseThrow().metrics();
    assertThat(a).isEqualTo(new BinaryMetrics(4, 2, 1.0, 1.0, a.logLoss(), 2.0 / 3, 1.0, 4.0 / 5, 3.0 / 4, 3.0 / 4, 0.5));
    assertThat(a.logLoss()).isCloseTo((-Math.log(0.8) - Math.log(0.4) + 2 * tiny) / 4, within(1e-15));
    // b: 0.7- 0.6+ 0.4-; ROC 1/2; PR from (0, 0) to (1, 1/2) to (1, 1/3): 1/4; at 0.5: tp 1, fp 1, tn 1.
    BinaryMetrics b = e.slice("segment", "b").orElseThrow().metrics();
    assertThat(b).isEqualTo(new BinaryMetrics(3, 1, 0.5, 0.25, b.logLoss(), 0.5, 1.0, 2.0 / 3, 2.0 / 3, 2.0 / 3, 0.5));
    assertThat(b.logLoss()).isCloseTo((-Math.log(0.3) - 2 * Math.log(0.6)) / 3, within(1e-15));
    // null: one positive at 0.3, predicted negative: no AUC, no precision, recall and F1 0.
    BinaryMetrics none = e.slice("segment", "(null)").orElseThrow().metrics();
    assertThat(none).isEqualTo(new BinaryMetrics(1, 1, nan, nan, none.logLoss(), nan, 0.0, 0.0, 0.0, 0.0, 0.5));
    assertThat(none.logLoss()).isCloseTo(-Math.log(0.3), within(1e-15));
  }

  @Test
  void aSliceWithOnlyNegativesHasNaNAucsAndNullsInItsMap() {
    List<Row> rows = new ArrayList<>(FIXTURE);
    rows.add(RowFactory.create(0, 0.9, "c", 0));
    rows.add(RowFactory.create(0, 0.2, "c", 0));
    Evaluation e = EVALUATOR.evaluate(frame(rows), 0.5, List.of("segment"));
    BinaryMetrics c = e.slice("segment", "c").orElseThrow().metrics();
    assertThat(c.positives()).isZero();
    assertThat(c.rocAuc()).isNaN();
    assertThat(c.prAuc()).isNaN();
    assertThat(c.recall()).isNaN();
    assertThat(c.precision()).as("one false positive").isEqualTo(0.0);
    assertThat(c.asMap()).containsEntry("roc_auc", null).containsEntry("pr_auc", null).containsEntry("recall", null)
        .containsEntry("precision", 0.0).containsEntry("rows", 2.0);
    assertThat(e.overall().rocAuc()).isBetween(0.0, 1.0);
  }

  @Test
  void booleanLabelsAndFloatProbabilitiesWork() {
    Dataset<Row> booleans = frame(FIXTURE).selectExpr("label = 1 AS label", "CAST(p AS float) AS p");
    BinaryMetrics m = EVALUATOR.evaluate(booleans, 0.5, List.of()).overall();
    assertThat(m.positives()).isEqualTo(4);
    assertThat(m.rocAuc()).isCloseTo(11.5 / 16, within(1e-15));
    assertThat(m.precision()).isEqualTo(3.0 / 5);
  }

  @Test
  void noRowsGiveNaNMetricsAndEmptyBins() {
    Evaluation e = EVALUATOR.evaluate(frame(List.of()), 0.5, List.of("segment"));
    assertThat(e.overall().rows()).isZero();
    assertThat(e.overall().asMap().values()).containsOnly(0.0, null, 0.5); // rows, positives; threshold
    assertThat(e.calibration()).hasSize(10).allSatisfy(bin -> assertThat(bin.rows()).isZero());
    assertThat(e.slices()).isEmpty();
    assertThat(EVALUATOR.maxF1Threshold(frame(List.of()))).isEqualTo(0.5);
  }

  // --- Random data against brute force ---

  /** Scores with ties (rounded to 1/20 or to 1/1000), labels that follow them, two slice columns. */
  static List<Row> random(long seed, int n) {
    SplittableRandom r = new SplittableRandom(seed);
    double grid = seed % 2 == 0 ? 20 : 1000;
    String[] segments = {"a", "b", "c", null};
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double p = Math.round(r.nextDouble() * grid) / grid;
      int label = r.nextDouble() < 0.1 + 0.8 * p ? 1 : 0;
      rows.add(RowFactory.create(label, p, segments[r.nextInt(segments.length)], r.nextInt(5)));
    }
    return rows;
  }

  @Test
  void aucsLogLossAndTheConfusionMatchBruteForceAndMllibOnRandomDataWithTies() {
    for (long seed = 1; seed <= 3; seed++) {
      List<Row> rows = random(seed, 1_500 + 500 * (int) seed);
      double threshold = 0.25 * seed - 0.2;
      Dataset<Row> data = frame(rows).repartition(3);
      Evaluation e = EVALUATOR.evaluate(data, threshold, List.of("segment", "bucket"));
      assertMatchesBruteForce("seed " + seed + " overall", e.overall(), rows, threshold);
      if (seed == 1) { // and MLlib's own numbers: the same up to its rounding
        BinaryClassificationMetrics mllib = new BinaryClassificationMetrics(data.select("p", "label").javaRDD()
            .map(r -> new Tuple2<Object, Object>(r.getDouble(0), (double) r.getInt(1))).rdd(), 0);
        assertThat(e.overall().rocAuc()).as("MLlib's roc").isCloseTo(mllib.areaUnderROC(), within(1e-14));
        assertThat(e.overall().prAuc()).as("MLlib's pr").isCloseTo(mllib.areaUnderPR(), within(1e-14));
        mllib.unpersist();
      }
      assertThat(e.slices()).hasSize(4 + 5);
      for (SliceMetrics s : e.slices()) {
        int column = s.column().equals("segment") ? 2 : 3;
        Predicate<Row> in = row -> Objects.equals(row.isNullAt(column) ? "(null)" : String.valueOf(row.get(column)), s.value());
        assertMatchesBruteForce("seed " + seed + " " + s.column() + " = " + s.value(), s.metrics(),
            rows.stream().filter(in).toList(), threshold);
      }
      for (CalibrationBin bin : e.calibration()) {
        List<Row> in = rows.stream().filter(r -> r.getDouble(1) >= bin.lower()
            && (r.getDouble(1) < bin.upper() || bin.bin() == 9)).toList();
        assertThat(bin.rows()).as("seed %d bin %d", seed, bin.bin()).isEqualTo(in.size());
        assertThat(bin.meanPredicted()).as("seed %d bin %d", seed, bin.bin())
            .isCloseTo(in.stream().mapToDouble(r -> r.getDouble(1)).average().orElseThrow(), within(1e-12));
        assertThat(bin.observedRate()).as("seed %d bin %d", seed, bin.bin())
            .isEqualTo((double) in.stream().filter(r -> r.getInt(0) == 1).count() / in.size());
      }
    }
  }

  static void assertMatchesBruteForce(String what, BinaryMetrics m, List<Row> rows, double threshold) {
    long positives = rows.stream().filter(r -> r.getInt(0) == 1).count();
    long negatives = rows.size() - positives;
    long tp = 0;
    long fp = 0;
    double logLoss = 0;
    for (Row r : rows) {
      double p = Math.min(Math.max(r.getDouble(1), 1e-15), 1 - 1e-15);
      logLoss += r.getInt(0) == 1 ? -Math.log(p) : -Math.log(1 - p);
      if (r.getDouble(1) >= threshold) {
        tp += r.getInt(0);
        fp += 1 - r.getInt(0);
      }
    }
    assertThat(m.rows()).as(what).isEqualTo(rows.size());
    assertThat(m.positives()).as(what).isEqualTo(positives);
    if (positives > 0 && negatives > 0) {
      assertThat(m.rocAuc()).as(what + " roc_auc").isCloseTo(mannWhitney(rows), within(1e-12));
      assertThat(m.prAuc()).as(what + " pr_auc").isCloseTo(mllibPrAuc(rows), within(1e-12));
    } else {
      assertThat(m.rocAuc()).as(what + " roc_auc").isNaN();
    }
    assertThat(m.logLoss()).as(what + " log_loss").isCloseTo(logLoss / rows.size(), within(1e-12));
    assertThat(m.precision()).as(what + " precision").isEqualTo(tp + fp == 0 ? Double.NaN : (double) tp / (tp + fp));
    assertThat(m.recall()).as(what + " recall").isEqualTo((double) tp / positives);
    assertThat(m.f1()).as(what + " f1").isEqualTo(2.0 * tp / (2 * tp + fp + (positives - tp)));
    assertThat(m.accuracy()).as(what + " accuracy").isEqualTo((double) (tp + negatives - fp) / rows.size());
    assertThat(m.predictedPositiveRate()).as(what + " ppr").isEqualTo((double) (tp + fp) / rows.size());
  }

  /** P(score of a positive > score of a negative), ties counting one half, by counting all pairs. */
  static double mannWhitney(List<Row> rows) {
    double[] pos = rows.stream().filter(r -> r.getInt(0) == 1).mapToDouble(r -> r.getDouble(1)).toArray();
    double[] neg = rows.stream().filter(r -> r.getInt(0) == 0).mapToDouble(r -> r.getDouble(1)).toArray();
    long twice = 0;
    for (double x : pos) {
      for (double y : neg) {
        twice += x > y ? 2 : x == y ? 1 : 0;
      }
    }
    return twice / (2.0 * pos.length * neg.length);
  }

  /**
   * MLlib's area under PR: one point (recall, precision) per distinct score, highest first, with
   * the counts of all rows scoring at least that; from (0, precision of the first); trapezoids.
   */
  static double mllibPrAuc(List<Row> rows) {
    TreeMap<Double, long[]> byScore = new TreeMap<>((x, y) -> Double.compare(y, x));
    for (Row r : rows) {
      byScore.computeIfAbsent(r.getDouble(1), s -> new long[2])[r.getInt(0)]++;
    }
    long positives = rows.stream().filter(r -> r.getInt(0) == 1).count();
    List<double[]> points = new ArrayList<>();
    long tp = 0;
    long fp = 0;
    for (long[] counts : byScore.values()) {
      tp += counts[1];
      fp += counts[0];
      points.add(new double[] {(double) tp / positives, (double) tp / (tp + fp)});
    }
    points.add(0, new double[] {0.0, points.get(0)[1]});
    double area = 0;
    for (int i = 1; i < points.size(); i++) {
      area += (points.get(i)[0] - points.get(i - 1)[0]) * (points.get(i)[1] + points.get(i - 1)[1]) / 2;
    }
    return area;
  }

  @Test
  void metricsAreBitIdenticalHoweverThePredictionsArePartitioned() {
    List<Row> rows = random(7, 3_000);
    List<String> slices = List.of("segment", "bucket");
    Evaluation three = EVALUATOR.evaluate(frame(rows).repartition(3), 0.4, slices);
    // Records compare doubles by their bits (Double.compare): equal means bit-identical.
    assertThat(EVALUATOR.evaluate(frame(rows).repartition(5), 0.4, slices)).isEqualTo(three);
  }

  @Test
  void anEvaluationRunsFourSparkJobsWhateverTheNumberOfSlices() throws Exception {
    // One group-by for the counts; for the curves a sort (its sampling job) and two passes over it.
    Dataset<Row> data = frame(random(8, 500)).repartition(3);
    assertThat(SparkJobs.countWhile(spark, () -> EVALUATOR.evaluate(data, 0.5, List.of()))).as("no slices").isEqualTo(4);
    assertThat(SparkJobs.countWhile(spark, () -> EVALUATOR.evaluate(data, 0.5, List.of("segment", "bucket"))))
        .as("9 slice values").isEqualTo(4);
  }

  // --- maxF1Threshold ---

  @Test
  void maxF1ThresholdOfTheFixtureIsTheHandComputedOne() {
    // F1 = 2tp / (tp + fp + 4) at 1.0: 2/5, 0.8: 4/6, 0.7: 4/7, 0.6: 6/9, 0.4: 6/10, 0.3: 8/11, 0.0: 8/12.
    assertThat(EVALUATOR.maxF1Threshold(frame(FIXTURE).repartition(3))).isEqualTo(0.3);
  }

  @Test
  void maxF1ThresholdBreaksTiesByTheLargerThreshold() {
    // F1 at 0.9: 2/3 (tp 1), 0.8: 2/4, 0.7: 2/5, 0.6: 4/6 = 2/3 (tp 2, fp 2), 0.1: 4/7.
    List<Row> rows = List.of(RowFactory.create(1, 0.9, "a", 0), RowFactory.create(0, 0.8, "a", 0),
        RowFactory.create(0, 0.7, "a", 0), RowFactory.create(1, 0.6, "a", 0), RowFactory.create(0, 0.1, "a", 0));
    assertThat(EVALUATOR.maxF1Threshold(frame(rows).repartition(3))).isEqualTo(0.9);
  }

  @Test
  void maxF1ThresholdIsHalfWithoutPositives() {
    List<Row> rows = List.of(RowFactory.create(0, 0.9, "a", 0), RowFactory.create(0, 0.2, "a", 0));
    assertThat(EVALUATOR.maxF1Threshold(frame(rows))).isEqualTo(0.5);
  }

  @Test
  void maxF1ThresholdMatchesBruteForceOnRandomData() {
    for (long seed = 11; seed <= 12; seed++) {
      List<Row> rows = random(seed, 1_000);
      assertThat(EVALUATOR.maxF1Threshold(frame(rows).repartition(3))).as("seed %d", seed).isEqualTo(bruteForceMaxF1(rows));
    }
  }

  /** Every distinct score as threshold, F1 compared exactly (cross-multiplied), ties to the larger threshold. */
  static double bruteForceMaxF1(List<Row> rows) {
    double[] scores = rows.stream().mapToDouble(r -> r.getDouble(1)).distinct().sorted().toArray();
    long positives = rows.stream().filter(r -> r.getInt(0) == 1).count();
    double best = Double.NaN;
    long bestNum = 0;
    long bestDen = 1;
    for (double t : scores) { // ascending: a later tie has the larger threshold
      long tp = rows.stream().filter(r -> r.getDouble(1) >= t && r.getInt(0) == 1).count();
      long fp = rows.stream().filter(r -> r.getDouble(1) >= t && r.getInt(0) == 0).count();
      long num = 2 * tp;
      long den = tp + fp + positives;
      if (Double.isNaN(best) || num * bestDen >= bestNum * den) {
        best = t;
        bestNum = num;
        bestDen = den;
      }
    }
    return best;
  }

  // --- Errors ---

  @Test
  void aMissingColumnIsNamedWithTheColumnsPresent() {
    Dataset<Row> data = frame(FIXTURE);
    assertThatThrownBy(() -> new BinaryEvaluator("y", "p").evaluate(data, 0.5, List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label column 'y' not found")
        .hasMessageContaining("columns: label, p, segment, bucket");
    assertThatThrownBy(() -> new BinaryEvaluator("label", "score").maxF1Threshold(data))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("probability column 'score' not found")
        .hasMessageContaining("columns: label, p, segment, bucket");
    assertThatThrownBy(() -> EVALUATOR.evaluate(data, 0.5, List.of("segment", "country")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("slice column 'country' not found")
        .hasMessageContaining("columns: label, p, segment, bucket");
  }

  @Test
  void nullLabelsOrProbabilitiesAreCountedAndRefused() {
    List<Row> nullLabels = new ArrayList<>(FIXTURE);
    nullLabels.add(RowFactory.create(null, 0.5, "a", 0));
    nullLabels.add(RowFactory.create(null, 0.2, "b", 0));
    assertThatThrownBy(() -> EVALUATOR.evaluate(frame(nullLabels).repartition(3), 0.5, List.of("segment")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 rows have a null label in column 'label'");
    List<Row> nullProbabilities = new ArrayList<>(FIXTURE);
    for (int i = 0; i < 3; i++) {
      nullProbabilities.add(RowFactory.create(1, null, "a", 0));
    }
    assertThatThrownBy(() -> EVALUATOR.maxF1Threshold(frame(nullProbabilities)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 rows have a null probability in column 'p'");
  }

  @Test
  void labelsOtherThanZeroAndOneAndProbabilitiesOutsideTheUnitIntervalAreRefused() {
    List<Row> labels = new ArrayList<>(FIXTURE);
    labels.add(RowFactory.create(2, 0.5, "a", 0));
    assertThatThrownBy(() -> EVALUATOR.evaluate(frame(labels), 0.5, List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 row has a label other than 0 and 1")
        .hasMessageContaining("'label'");
    List<Row> scores = new ArrayList<>(FIXTURE);
    scores.add(RowFactory.create(1, 1.5, "a", 0));
    scores.add(RowFactory.create(0, Double.NaN, "a", 0));
    assertThatThrownBy(() -> EVALUATOR.evaluate(frame(scores), 0.5, List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 rows have a probability outside [0, 1]")
        .hasMessageContaining("'p'");
    assertThatThrownBy(() -> new BinaryEvaluator("label", "segment").evaluate(frame(FIXTURE), 0.5, List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("probability column 'segment' is string");
    assertThatThrownBy(() -> EVALUATOR.evaluate(frame(FIXTURE), 1.5, List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threshold 1.5");
    assertThatThrownBy(() -> EVALUATOR.evaluate(frame(FIXTURE), 0.5, List.of("segment", "segment")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'segment' is listed more than once");
  }

  @Test
  void aSliceColumnWithMoreThan100ValuesIsRefusedWithItsCount() {
    Dataset<Row> ids = spark.range(0, 1_000, 1, 3).selectExpr("CAST(id % 2 AS int) AS label", "0.5 AS p",
        "id % 150 AS customer", "id % 100 AS store");
    assertThatThrownBy(() -> EVALUATOR.evaluate(ids, 0.5, List.of("store", "customer")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("slice column 'customer' has 150 distinct values, more than the 100 allowed");
    assertThat(EVALUATOR.evaluate(ids, 0.5, List.of("store")).slices()).as("100 values are fine").hasSize(100);
  }
}
