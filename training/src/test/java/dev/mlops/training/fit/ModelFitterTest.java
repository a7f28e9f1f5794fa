package dev.mlops.training.fit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.config.ConfigException;
import dev.mlops.testkit.TestPlatform;
import dev.mlops.training.spec.ModelSpecLoader;
import dev.mlops.training.spec.ModelSpecLoader.LoadedSpec;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fitting on its own: the same rows give the same model however they arrive; class weights; split errors. */
class ModelFitterTest {
  static final StructType SCHEMA = new StructType().add("id", DataTypes.LongType).add("t", DataTypes.TimestampType)
      .add("x", DataTypes.DoubleType).add("c", DataTypes.StringType).add("y", DataTypes.IntegerType);
  static final String SPEC = """
      name: toy
      feature-service: {name: none}
      spine: {table: raw.toy, keys: [id], event-time: t, label: y, request-features: [x, c]}
      split: {fractions: {train: 0.6, validation: 0.2, test: 0.2}}
      algorithm: {type: gbt, params: {maxIter: 8, maxDepth: 3, subsamplingRate: 0.8}}
      seed: 7
      class-weight: balanced
      """;

  @TempDir static Path dir;
  static SparkSession spark;
  static LoadedSpec spec;
  static Dataset<Row> rows;

  @BeforeAll
  static void data() {
    spark = TestPlatform.create(dir).spark();
    spec = new ModelSpecLoader(k -> null).parse(SPEC, "models/toy.yaml");
    SplittableRandom r = new SplittableRandom(11);
    List<Row> list = new ArrayList<>();
    for (long i = 0; i < 3000; i++) {
      double x = r.nextGaussian();
      String c = new String[] {"a", "b", "c", null}[r.nextInt(4)];
      double z = -2.5 + 1.5 * x + ("a".equals(c) ? 1 : 0);
      list.add(RowFactory.create(i, new Timestamp(1_700_000_000_000L + i * 60_000L), r.nextInt(20) == 0 ? null : x, c,
          r.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0));
    }
    rows = spark.createDataFrame(list, SCHEMA);
  }

  static List<Row> testPredictions(Dataset<Row> input) {
    ModelFitter fitter = new ModelFitter(spec, List.of("x", "c"));
    PreparedSplits splits = fitter.prepare(input, TimeSplit.resolve(spec, input));
    PipelineModel m = fitter.fit(splits, fitter.candidates(splits).get(0));
    List<Row> out = ModelFitter.predict(m, splits.test()).select("id", ModelFitter.PROBABILITY).orderBy("id").collectAsList();
    splits.release();
    return out;
  }

  @Test
  void theSameRowsGiveTheSameModelBitForBitHoweverTheyArePartitionedOrOrdered() {
    List<Row> one = testPredictions(rows.repartition(1));
    List<Row> five = testPredictions(rows.orderBy(org.apache.spark.sql.functions.rand(3)).repartition(5));
    assertThat(one).hasSize(600);
    assertThat(five).as("every probability identical, with subsampling and a seed").isEqualTo(one);
    assertThat(one.stream().map(r -> r.getDouble(1)).distinct().count()).as("the model is not constant").isGreaterThan(10);
  }

  @Test
  void balancedWeightsGivePositivesHalfTheRowsOverThePositivesAndTheSplitsKeepTheirTimes() {
    ModelFitter fitter = new ModelFitter(spec, List.of("x", "c"));
    TimeSplit split = TimeSplit.resolve(spec, rows);
    PreparedSplits splits = fitter.prepare(rows, split);
    long n = splits.rows().get("train");
    long positives = splits.train().where("y = 1").count();
    assertThat(n).isEqualTo(1800);
    assertThat(splits.positiveWeight()).isEqualTo(n / (2.0 * positives));
    assertThat(splits.negativeWeight()).isEqualTo(n / (2.0 * (n - positives)));
    assertThat(splits.train().where("y = 1").select(PipelineFactory.WEIGHT).distinct().collectAsList())
        .extracting(r -> r.getDouble(0)).containsExactly(splits.positiveWeight());
    assertThat(splits.validation().selectExpr("min(t) >= timestamp_micros(" + (split.trainEnd().toEpochMilli() * 1000) + ")")
        .first().getBoolean(0)).isTrue();
    assertThat(TimeSplit.fromJson(split.json()).equals(split)).as("a split survives its record").isTrue();
    splits.release();
  }

  @Test
  void aSplitWithOneClassOnlyIsAnErrorNamingTheSplitAndTheFix() {
    Dataset<Row> noLatePositives = rows.where("y = 0 OR id < 2000");
    ModelFitter fitter = new ModelFitter(spec, List.of("x", "c"));
    assertThatThrownBy(() -> fitter.prepare(noLatePositives, TimeSplit.resolve(spec, noLatePositives)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("models/toy.yaml: split: the test split (t >= ")
        .hasMessageContaining("has only negative labels; a binary model needs both in every split");
    assertThatThrownBy(() -> fitter.prepare(rows.withColumn("y", org.apache.spark.sql.functions.lit(2)),
        TimeSplit.resolve(spec, rows))).hasMessage("models/toy.yaml: spine.label: 3000 rows have a label other than 0 and 1"
        + " in column y; map them to 0 and 1 in the spine query");
  }
}
