package dev.mlops.training.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mlops.testkit.TestPlatform;
import dev.mlops.training.fit.PipelineFactory;
import dev.mlops.training.spec.ModelSpecLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.ml.attribute.NumericAttribute;
import org.apache.spark.ml.classification.GBTClassificationModel;
import org.apache.spark.ml.classification.GBTClassifier;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.classification.RandomForestClassificationModel;
import org.apache.spark.ml.classification.RandomForestClassifier;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
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
 * Explanations of MLlib models trained once for the class on a small random table: a weighted
 * GBT and a random forest over six features (two categorical), and the platform's pipelines (a
 * one-hot logistic regression, an indexed GBT) for the slots and the global explanations.
 */
class TreeExplainerTest {
  static final int FEATURES = 6;
  @TempDir static Path dir;
  static SparkSession spark;
  static PipelineModel gbt;
  static PipelineModel forest;
  static RandomTrees rows;

  @BeforeAll
  static void train() {
    spark = TestPlatform.create(dir).spark();
    Attribute[] attributes = new Attribute[FEATURES];
    for (int i = 0; i < FEATURES; i++) {
      attributes[i] = i < 2 ? NominalAttribute.defaultAttr().withIndex(i).withNumValues(4)
          : NumericAttribute.defaultAttr().withIndex(i);
    }
    SplittableRandom r = new SplittableRandom(3);
    List<Row> list = new ArrayList<>();
    for (int i = 0; i < 800; i++) {
      double[] x = new double[FEATURES];
      for (int j = 0; j < FEATURES; j++) {
        x[j] = j < 2 ? r.nextInt(4) : r.nextGaussian();
      }
      double z = x[2] - 0.8 * x[3] + (x[0] == 1 ? 1.5 : 0) + 0.5 * x[1] * x[4];
      list.add(RowFactory.create(Vectors.dense(x), r.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1.0 : 0.0,
          new double[] {0.5, 1, 2}[r.nextInt(3)]));
    }
    Dataset<Row> data = spark.createDataFrame(list, new StructType().add("v", new VectorUDT()).add("y", DataTypes.DoubleType)
        .add("w", DataTypes.DoubleType)).withColumn("features",
            org.apache.spark.sql.functions.col("v").as("features", new AttributeGroup("features", attributes).toMetadata()));
    gbt = new Pipeline().setStages(new PipelineStage[] {new GBTClassifier().setLabelCol("y").setWeightCol("w").setMaxIter(8)
        .setMaxDepth(4).setSeed(5)}).fit(data);
    forest = new Pipeline().setStages(new PipelineStage[] {new RandomForestClassifier().setLabelCol("y").setNumTrees(6)
        .setMaxDepth(5).setSeed(5)}).fit(data);
    rows = new RandomTrees(17, FEATURES, 2);
  }

  @Test
  void aGbtsBaseValuePlusContributionsIsItsRawMargin() {
    GBTClassificationModel model = (GBTClassificationModel) gbt.stages()[0];
    TreeExplainer explainer = TreeExplainer.of(gbt).orElseThrow();
    for (int i = 0; i < 300; i++) {
      double[] x = rows.row();
      double margin = model.predictRaw(Vectors.dense(x)).apply(1);
      double sum = explainer.baseValue() + Arrays.stream(explainer.contributions(x)).sum();
      assertThat(sum).as("row %s", Arrays.toString(x)).isCloseTo(margin, within(1e-9));
      assertThat(explainer.margin(x)).isCloseTo(margin, within(1e-12));
      assertThat(1 / (1 + Math.exp(-2 * margin))).isCloseTo(model.predictProbability(Vectors.dense(x)).apply(1),
          within(1e-12));
    }
  }

  @Test
  void aRandomForestsBaseValuePlusContributionsIsItsProbability() {
    RandomForestClassificationModel model = (RandomForestClassificationModel) forest.stages()[0];
    TreeExplainer explainer = TreeExplainer.of(forest).orElseThrow();
    for (int i = 0; i < 300; i++) {
      double[] x = rows.row();
      double p = model.predictProbability(Vectors.dense(x)).apply(1);
      assertThat(explainer.baseValue() + Arrays.stream(explainer.contributions(x)).sum()).as("row %s", Arrays.toString(x))
          .isCloseTo(p, within(1e-9));
    }
  }

  @Test
  void everyTrainedTreeMatchesTheBruteForceShapleyValues() {
    TreeExplainer explainer = TreeExplainer.of(gbt).orElseThrow();
    TreeExplainer rf = TreeExplainer.of(forest).orElseThrow();
    for (int i = 0; i < 20; i++) {
      double[] x = rows.row();
      double[] exact = new double[FEATURES];
      GBTClassificationModel model = (GBTClassificationModel) gbt.stages()[0];
      for (int t = 0; t < model.trees().length; t++) {
        FlatTree tree = FlatTree.of(model.trees()[t].rootNode(), org.apache.spark.ml.tree.Node::prediction);
        double[] phi = BruteForceShapley.values(tree, x);
        for (int j = 0; j < FEATURES; j++) {
          exact[j] += model.treeWeights()[t] * phi[j];
        }
      }
      assertThat(explainer.contributions(x)).as("row %s", Arrays.toString(x)).containsExactly(exact, within(1e-9));
      assertThat(Arrays.stream(rf.contributions(x)).sum()).isCloseTo(rf.margin(x) - rf.baseValue(), within(1e-9));
    }
  }

  @Test
  void aLinearPipelinesSlotsNameTheOneHotCategoriesAndItsCoefficientsFollowThem() {
    Dataset<Row> data = spark.sql("SELECT CAST(id AS double) / 100 AS x, IF(id % 3 = 0, 'web', IF(id % 3 = 1, 'pos', NULL)) AS c,"
        + " CAST(IF(id % 3 = 0 OR id > 250, 1, 0) AS double) AS " + PipelineFactory.LABEL + " FROM range(300)");
    PipelineModel lr = fit(data, "logistic_regression", Map.of("maxIter", "20"));
    FeatureSlots slots = FeatureSlots.of(lr);
    assertThat(slots.features()).containsExactly("x", "c");
    assertThat(List.of(slots.slotName(0), slots.slotName(1), slots.slotName(2), slots.slotName(3)))
        .as("pos and web seen (equally often, so alphabetically), then unseen or missing")
        .containsExactly("x", "c=pos", "c=web", "c=" + FeatureSlots.UNSEEN);
    GlobalExplanation global = GlobalExplanation.of(lr);
    LogisticRegressionModel model = (LogisticRegressionModel) lr.stages()[lr.stages().length - 1];
    assertThat(global.importances()).isEmpty();
    assertThat(global.coefficients()).containsEntry("c=web", model.coefficients().apply(2))
        .containsEntry(GlobalExplanation.INTERCEPT, model.intercept()).hasSize(5);
    assertThat(TreeExplainer.of(lr)).as("a linear model has no per-row tree explanation").isEmpty();

  }

  @Test
  void topContributionsAndImportancesSumTheOneHotSlotsPerInput() {
    Dataset<Row> data = spark.sql("SELECT CAST(id % 50 AS double) AS x, CAST(id % 7 AS double) AS u,"
        + " IF(id % 3 = 0, 'web', IF(id % 3 = 1, 'pos', 'atm')) AS c,"
        + " CAST(IF(id % 3 = 0 OR id % 50 > 40, 1, 0) AS double) AS " + PipelineFactory.LABEL + " FROM range(600)");
    PipelineModel model = fit(data, "gbt", Map.of("maxIter", "6", "maxDepth", "3"), "categorical: {encoding: one-hot}\n");
    FeatureSlots slots = FeatureSlots.of(model);
    TreeExplainer explainer = TreeExplainer.of(model).orElseThrow();
    double[] x = {45, 3, 0, 1, 0, 0};
    double[] phi = explainer.contributions(x);
    double c = phi[2] + phi[3] + phi[4] + phi[5];
    Map<String, Double> all = new TopContributions(explainer, slots, 3).of(Vectors.dense(x));
    assertThat(all.values().stream().mapToDouble(Double::doubleValue).sum() + explainer.baseValue())
        .as("every input kept: base plus contributions is the margin").isCloseTo(explainer.margin(x), within(1e-9));
    assertThat(all).containsEntry("c", c).containsEntry("x", phi[0]);
    GlobalExplanation importances = GlobalExplanation.of(model);
    assertThat(importances.importances().keySet()).as("per input, the one-hot slots summed").containsExactlyInAnyOrder("x", "c", "u");
    assertThat(importances.importances().values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1, within(1e-9));
    assertThat(importances.coefficients()).isEmpty();
    Map<String, Double> top = new TopContributions(explainer, slots, 1).of(Vectors.dense(x));
    assertThat(top).hasSize(1);
    assertThat(Math.abs(top.values().iterator().next())).isEqualTo(all.values().stream().mapToDouble(Math::abs).max()
        .orElseThrow());
  }

  private static PipelineModel fit(Dataset<Row> data, String algorithm, Map<String, String> params) {
    return fit(data, algorithm, params, "");
  }

  private static PipelineModel fit(Dataset<Row> data, String algorithm, Map<String, String> params, String extra) {
    var spec = new ModelSpecLoader(k -> null).parse("""
        name: toy
        feature-service: {name: none}
        spine: {table: raw.toy, keys: [id], event-time: t, label: y}
        split: {fractions: {train: 0.6, validation: 0.2, test: 0.2}}
        algorithm: {type: %s}
        %s""".formatted(algorithm, extra), "models/toy.yaml");
    List<String> features = Arrays.stream(data.columns()).filter(c -> !c.equals(PipelineFactory.LABEL)).toList();
    return PipelineFactory.create(spec, data.schema(), features, new java.util.LinkedHashMap<>(params), false).fit(data);
  }
}
