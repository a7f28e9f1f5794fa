package dev.mlops.training;

import static org.apache.spark.sql.functions.col;

import dev.mlops.core.tables.Warehouse;
import dev.mlops.core.runs.JobRun;
import dev.mlops.core.spark.Identifiers;
import dev.mlops.features.FeatureStore;
import dev.mlops.training.evaluation.BinaryEvaluator;
import dev.mlops.training.evaluation.Evaluation;
import dev.mlops.training.fit.ModelFitter;
import dev.mlops.training.fit.PreparedSplits;
import dev.mlops.training.fit.TimeSplit;
import dev.mlops.training.registry.ModelRegistry;
import dev.mlops.training.registry.ModelVersion;
import dev.mlops.training.sets.BuiltTrainingSet;
import dev.mlops.training.sets.TrainingSetBuilder;
import dev.mlops.training.spec.ModelSpecLoader.LoadedSpec;
import dev.mlops.training.spec.ModelSpecLoader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code mlops models reproduce}: rebuilds a version's training set from its record alone (the
 * spine's source tables and every feature view at their pinned Delta versions, the spec as it
 * was written then), retrains with the recorded params and seed on the recorded split, and
 * compares the training rows, the test metrics and the test predictions with what was recorded.
 * Not thread-safe.
 */
public final class ModelReproducer {
  private final Warehouse warehouse;
  private final FeatureStore store;
  private final ModelRegistry registry;

  public ModelReproducer(Warehouse warehouse, FeatureStore store, ModelRegistry registry) {
    this.warehouse = warehouse;
    this.store = store;
    this.registry = registry;
  }

  /** Reproduces {@code model} version {@code version}. */
  public ReproduceResult reproduce(String model, int version, JobRun run) {
    ModelVersion v = registry.version(model, version);
    LoadedSpec spec = new ModelSpecLoader(System::getenv).recorded(v.spec());
    BuiltTrainingSet rebuilt = new TrainingSetBuilder(warehouse, store).build(spec, TrainingSetBuilder.sourcePins(v.sourceTables()),
        TrainingSetBuilder.viewPins(v.featurePins()), v.featureServiceVersion(), run);
    Dataset<Row> recorded = warehouse.read(v.trainingSet());
    run.input(v.trainingSet());
    Column[] order = java.util.Arrays.stream(recorded.columns()).map(Identifiers::column).toArray(Column[]::new);
    Dataset<Row> rows = rebuilt.rows().select(order);
    List<String> differences = new ArrayList<>();
    long differing = rows.exceptAll(recorded).count() + recorded.exceptAll(rows).count();
    if (differing > 0) {
      differences.add(differing + " training rows differ from " + v.trainingSet() + " (rebuilt from the pins)");
    }
    ModelFitter fitter = new ModelFitter(spec, v.featureColumns());
    PreparedSplits splits = fitter.prepare(rows, TimeSplit.fromJson(v.split()));
    try {
      PipelineModel m = fitter.fit(splits, v.params());
      Dataset<Row> predicted = ModelFitter.predict(m, splits.test());
      Evaluation test = new BinaryEvaluator(fitter.label(), ModelFitter.PROBABILITY).evaluate(predicted, v.threshold(), List.of());
      Map<String, Double> metrics = new LinkedHashMap<>();
      test.overall().asMap().forEach((k, x) -> {
        if (x != null) {
          metrics.put(k, x);
        }
      });
      for (Map.Entry<String, Double> e : v.metrics().entrySet()) {
        Double now = metrics.get(e.getKey());
        if (now == null || Double.doubleToLongBits(now) != Double.doubleToLongBits(e.getValue())) {
          differences.add(e.getKey() + ": recorded " + e.getValue() + ", reproduced " + now);
        }
      }
      List<String> keys = spec.spec().spine().keys();
      Dataset<Row> saved = warehouse.spark().read().parquet(v.testPredictionsPath()).withColumnRenamed(
          ModelFitter.PROBABILITY, "__recorded");
      List<Column> mine = new ArrayList<>(keys.stream().map(Identifiers::column).toList());
      mine.add(col(ModelFitter.PROBABILITY).as("__reproduced"));
      Dataset<Row> joined = predicted.select(mine.toArray(Column[]::new))
          .join(saved, scala.jdk.javaapi.CollectionConverters.asScala(keys).toSeq(), "full_outer");
      Row counts = joined.selectExpr("count(*)", "count_if(__recorded IS NULL OR __reproduced IS NULL OR __recorded <> __reproduced)")
          .first();
      long compared = counts.getLong(0);
      long predictionsDiffering = counts.getLong(1);
      if (predictionsDiffering > 0) {
        differences.add(predictionsDiffering + " of " + compared + " test predictions differ from those recorded at training");
      }
      return new ReproduceResult(model, version, differing, v.metrics(), metrics, compared, predictionsDiffering, differences);
    } finally {
      splits.release();
    }
  }
}
