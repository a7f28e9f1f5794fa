package dev.mlops.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.testkit.TestPlatform;
import dev.mlops.training.evaluation.BinaryEvaluator;
import dev.mlops.training.fit.ModelFitter;
import dev.mlops.training.fit.PreparedSplits;
import dev.mlops.training.fit.TimeSplit;
import dev.mlops.training.spec.ModelSpecLoader;
import dev.mlops.training.spec.ModelSpecLoader.LoadedSpec;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.classification.RandomForestClassificationModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spec's modelling choices on tiny rows whose right answer is known: the two other algorithms,
 * one-hot encoding, a fixed threshold and the grid's tie rule.
 */
class TrainingChoicesTest {
  static final StructType SCHEMA = new StructType().add("id", DataTypes.LongType).add("t", DataTypes.TimestampType)
      .add("x", DataTypes.DoubleType).add("c", DataTypes.StringType).add("y", DataTypes.IntegerType);

  @TempDir static Path dir;
  static SparkSession spark;

  @BeforeAll
  static void setUp() {
    spark = TestPlatform.create(dir).spark();
  }

  static LoadedSpec spec(String algorithm, String more) {
    return new ModelSpecLoader(k -> null).parse("""
        name: toy
        feature-service: {name: none}
        spine: {table: raw.toy, keys: [id], event-time: t, label: y, request-features: [x, c]}
        split: {fractions: {train: 0.6, validation: 0.2, test: 0.2}}
        seed: 7
        """ + "algorithm: " + algorithm + "\n" + more, "models/toy.yaml");
  }

  /**
   * 200 rows a minute apart; category {@code c} repeats a, a, a, a, a, b, b, b, c, c (so the
   * indexer numbers a 0, b 1, c 2) and {@code x} is noise, unless {@code label} uses it.
   */
  static Dataset<Row> rows(Function<Object[], Integer> label) {
    SplittableRandom r = new SplittableRandom(5);
    List<Row> list = new ArrayList<>();
    for (long i = 0; i < 200; i++) {
      String c = i % 10 < 5 ? "a" : i % 10 < 8 ? "b" : "c";
      Object[] row = {i, new Timestamp(1_700_000_000_000L + i * 60_000L), r.nextGaussian(), c, null};
      row[4] = label.apply(new Object[] {c, row[2], r.nextDouble()});
      list.add(RowFactory.create(row));
    }
    return spark.createDataFrame(list, SCHEMA);
  }

  /** The fitted pipeline of the first candidate, and its test predictions: c and the probability. */
  record Fitted(PipelineModel model, List<Row> test) {}

  static Fitted fit(LoadedSpec spec, Dataset<Row> rows) {
    ModelFitter fitter = new ModelFitter(spec, List.of("x", "c"));
    PreparedSplits splits = fitter.prepare(rows, TimeSplit.resolve(spec, rows));
    try {
      PipelineModel m = fitter.fit(splits, fitter.candidates(splits).get(0));
      return new Fitted(m, ModelFitter.predict(m, splits.test()).select("c", ModelFitter.PROBABILITY).collectAsList());
    } finally {
      splits.release();
    }
  }

  static Integer isB(Object[] v) {
    return v[0].equals("b") ? 1 : 0;
  }

  @Test
  void logisticRegressionOneHotEncodesByDefaultAndSoSeparatesTheMiddleCategory() {
    // b is index 1 of 0..2: no straight line through the index separates it, one indicator per value does.
    Fitted f = fit(spec("{type: logistic_regression, params: {maxIter: 100, regParam: 0.0}}", ""), rows(TrainingChoicesTest::isB));
    Object last = f.model().stages()[f.model().stages().length - 1];
    assertThat(last).as("the classifier").isInstanceOf(LogisticRegressionModel.class);
    assertThat(((LogisticRegressionModel) last).numFeatures())
        .as("x, and c one-hot: a, b, c and the indexer's slot for unseen or missing values").isEqualTo(5);
    assertThat(f.test()).as("test rows").hasSize(40);
    assertThat(f.test()).as("p > 0.5 exactly for b").allSatisfy(r ->
        assertThat(r.getDouble(1) > 0.5).as("c = %s, p = %s", r.getString(0), r.getDouble(1)).isEqualTo(r.getString(0).equals("b")));
  }

  @Test
  void randomForestIndexesCategoriesAndGrowsTheTreesAsked() {
    Fitted f = fit(spec("{type: random_forest, params: {numTrees: 3, maxDepth: 3, featureSubsetStrategy: all,"
        + " bootstrap: false}}", ""), rows(TrainingChoicesTest::isB));
    Object last = f.model().stages()[f.model().stages().length - 1];
    assertThat(last).as("the classifier").isInstanceOf(RandomForestClassificationModel.class);
    RandomForestClassificationModel forest = (RandomForestClassificationModel) last;
    assertThat(forest.getNumTrees()).as("trees").isEqualTo(3);
    assertThat(forest.numFeatures()).as("x and c's index").isEqualTo(2);
    assertThat(f.test()).as("p = 1 for b, 0 otherwise").allSatisfy(r ->
        assertThat(r.getDouble(1)).as("c = %s", r.getString(0)).isEqualTo(r.getString(0).equals("b") ? 1.0 : 0.0));
  }

  @Test
  void aFixedThresholdIsTheOneUsedToChooseAndToJudge() {
    LoadedSpec spec = spec("{type: logistic_regression, params: {maxIter: 50}, selection-metric: precision}", "threshold: 0.7\n");
    Dataset<Row> rows = rows(v -> (double) v[1] + 4 * ((double) v[2] - 0.5) > 0 ? 1 : 0);
    ModelFitter fitter = new ModelFitter(spec, List.of("x", "c"));
    PreparedSplits splits = fitter.prepare(rows, TimeSplit.resolve(spec, rows));
    try {
      BinaryEvaluator evaluator = new BinaryEvaluator(fitter.label(), ModelFitter.PROBABILITY);
      ModelTrainer.GridSearch search = ModelTrainer.searchGrid(spec.spec(), fitter, splits, evaluator);
      assertThat(ModelTrainer.threshold(spec.spec(), evaluator, search.bestValidation())).as("the threshold").isEqualTo(0.7);
      List<Row> validation = search.bestValidation().select(fitter.label(), ModelFitter.PROBABILITY).collectAsList();
      double atMaxF1 = evaluator.maxF1Threshold(search.bestValidation());
      assertThat(precision(validation, 0.7)).as("the data tell the thresholds apart")
          .isNotEqualTo(precision(validation, 0.5)).isNotEqualTo(precision(validation, atMaxF1));
      assertThat(search.candidates().get(0).validation()).as("validation precision at 0.7, counted by hand")
          .isEqualTo(precision(validation, 0.7));
    } finally {
      splits.release();
    }
  }

  /** The share of the rows (label, probability) at or above {@code threshold} whose label is 1. */
  static double precision(List<Row> rows, double threshold) {
    long predicted = rows.stream().filter(r -> r.getDouble(1) >= threshold).count();
    long right = rows.stream().filter(r -> r.getDouble(1) >= threshold && r.getDouble(0) == 1.0).count();
    return (double) right / predicted;
  }

  @Test
  void ofCandidatesThatTieTheFirstWinsGridKeysInNameOrderValuesAsWritten() {
    // checkpointInterval and cacheNodeIds change nothing in these trees, so all four candidates tie.
    LoadedSpec spec = spec("{type: random_forest, params: {numTrees: 2, maxDepth: 2, featureSubsetStrategy: all,"
        + " bootstrap: false}, grid: {checkpointInterval: [20, 10], cacheNodeIds: [true, false]},"
        + " selection-metric: roc_auc}", "");
    Dataset<Row> rows = rows(v -> (double) v[1] + 0.8 * ((double) v[2] - 0.5) > 0 ? 1 : 0);
    ModelFitter fitter = new ModelFitter(spec, List.of("x", "c"));
    PreparedSplits splits = fitter.prepare(rows, TimeSplit.resolve(spec, rows));
    try {
      ModelTrainer.GridSearch search = ModelTrainer.searchGrid(spec.spec(), fitter, splits,
          new BinaryEvaluator(fitter.label(), ModelFitter.PROBABILITY));
      assertThat(search.candidates()).extracting(c -> c.params().get("cacheNodeIds") + "/" + c.params().get("checkpointInterval"))
          .as("candidates: cacheNodeIds before checkpointInterval, each as written")
          .containsExactly("true/20", "true/10", "false/20", "false/10");
      assertThat(search.candidates()).extracting(TrainResult.Candidate::validation).as("a tie")
          .containsOnly(search.candidates().get(0).validation());
      assertThat(search.candidates()).extracting(TrainResult.Candidate::chosen).containsExactly(true, false, false, false);
      assertThat(search.chosenParams()).as("the first").containsEntry("cacheNodeIds", "true")
          .containsEntry("checkpointInterval", "20");
    } finally {
      splits.release();
    }
  }
}
