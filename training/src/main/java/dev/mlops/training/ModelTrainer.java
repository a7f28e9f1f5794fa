package dev.mlops.training;

import static org.apache.spark.sql.functions.col;

import dev.mlops.core.CodeVersion;
import dev.mlops.core.PlatformException;
import dev.mlops.core.runs.JobRun;
import dev.mlops.core.tables.Json;
import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.TableVersion;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.features.FeatureStore;
import dev.mlops.features.pit.TrainingSet;
import dev.mlops.features.pit.TrainingSetWriter;
import dev.mlops.training.evaluation.BinaryEvaluator;
import dev.mlops.training.evaluation.BinaryMetrics;
import dev.mlops.training.evaluation.Evaluation;
import dev.mlops.training.fit.ModelFitter;
import dev.mlops.training.fit.PipelineFactory;
import dev.mlops.training.fit.PreparedSplits;
import dev.mlops.training.fit.TimeSplit;
import dev.mlops.training.gate.Gate;
import dev.mlops.training.gate.GateVerdict;
import dev.mlops.training.registry.DeltaModelRegistry;
import dev.mlops.training.registry.ModelVersion;
import dev.mlops.training.registry.Stage;
import dev.mlops.training.sets.BuiltTrainingSet;
import dev.mlops.training.sets.TrainingSetBuilder;
import dev.mlops.training.spec.ModelSpec;
import dev.mlops.training.spec.ModelSpecLoader;
import dev.mlops.training.spec.ModelSpecLoader.LoadedSpec;
import java.time.Clock;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code mlops train}: builds a model's training set point-in-time correct with every view
 * pinned and saves it, searches the spec's grid on the validation split, evaluates the chosen
 * candidate on the test split (overall, calibration, slices), evaluates the Production version
 * on the same rows, applies the gate, saves the fitted pipeline and registers the version with
 * its full lineage; a version that passes goes to Staging, or to Production under the auto
 * promotion policy. Not thread-safe (the feature store is not).
 */
public final class ModelTrainer {
  /** The table each model's training set is saved in: {@code ml.training_<model>}, one Delta version per training. */
  public static TableName trainingSetTable(String model) {
    return new TableName("ml", "training_" + model);
  }

  /** Metrics that do not depend on the threshold. */
  private static final List<String> THRESHOLD_FREE = List.of("roc_auc", "pr_auc", "log_loss");

  private final FeatureStore store;
  private final DeltaModelRegistry registry;
  private final Clock clock;
  private final CodeVersion code;

  public ModelTrainer(FeatureStore store, DeltaModelRegistry registry, Clock clock, CodeVersion code) {
    this.store = store;
    this.registry = registry;
    this.clock = clock;
    this.code = code;
  }

  /**
   * Trains, gates and registers a version of {@code spec}'s model.
   *
   * @param createdBy who asked (recorded with the version)
   */
  public TrainResult train(LoadedSpec spec, String createdBy, JobRun run) {
    return train(spec, createdBy, true, run);
  }

  /**
   * As {@link #train(LoadedSpec, String, JobRun)}; with {@code mayAutoPromote} false, a version
   * that passes the gate stays in Staging whatever the spec's promotion policy (a challenger to
   * run in shadow).
   */
  public TrainResult train(LoadedSpec spec, String createdBy, boolean mayAutoPromote, JobRun run) {
    ModelSpec s = spec.spec();
    Warehouse w = store.warehouse();
    BuiltTrainingSet built = new TrainingSetBuilder(store).build(spec, Map.of(), Map.of(), run);
    List<String> columns = List.of(built.rows().columns());
    for (int i = 0; i < s.slices().size(); i++) {
      if (!columns.contains(s.slices().get(i))) {
        throw spec.error("slices[" + i + "]", "column " + s.slices().get(i) + " is not in the training set (its columns: "
            + String.join(", ", columns) + ")");
      }
    }
    if (!columns.contains(s.spine().label())) {
      throw spec.error("spine.label", "column " + s.spine().label() + " is not in the spine (its columns: "
          + String.join(", ", columns) + ")");
    }
    // Everything that can be checked before anything is written: the params of every candidate.
    ModelFitter early = new ModelFitter(spec, built.featureColumns());
    for (Map<String, String> params : early.gridOf(PipelineFactory.fixedParams(s))) {
      PipelineFactory.create(spec, built.rows().schema(), built.featureColumns(), params, s.classWeight().equals("balanced"));
    }
    TrainingSetWriter.Written saved = new TrainingSetWriter(w, clock).write(new TrainingSet(built.rows(), built.service(),
        built.viewPins()), trainingSetTable(s.name()).toString(), built.spineSql(), run);
    Dataset<Row> rows = w.read(new TableVersion(trainingSetTable(s.name()), saved.version()));
    TimeSplit split = TimeSplit.resolve(spec, rows);
    ModelFitter fitter = new ModelFitter(spec, built.featureColumns());
    PreparedSplits splits = fitter.prepare(rows, split);
    try {
      BinaryEvaluator evaluator = new BinaryEvaluator(fitter.label(), ModelFitter.PROBABILITY);
      String metric = s.algorithm().selectionMetric();
      boolean higher = BinaryMetrics.higherIsBetter(metric);
      List<Map<String, String>> grid = fitter.candidates(splits);
      PipelineModel best = null;
      Dataset<Row> bestValidation = null;
      int bestIndex = -1;
      double bestValue = Double.NaN;
      List<Double> values = new ArrayList<>();
      for (int i = 0; i < grid.size(); i++) {
        PipelineModel m = fitter.fit(splits, grid.get(i));
        Dataset<Row> predicted = ModelFitter.predict(m, splits.validation());
        double at = !THRESHOLD_FREE.contains(metric) && s.fixedThreshold().isEmpty() ? evaluator.maxF1Threshold(predicted)
            : s.fixedThreshold().orElse(0.5);
        double v = evaluator.evaluate(predicted, at, List.of()).overall().metric(metric);
        values.add(v);
        if (bestIndex < 0 || (!Double.isNaN(v) && (Double.isNaN(bestValue) || (higher ? v > bestValue : v < bestValue)))) {
          best = m;
          bestValidation = predicted;
          bestIndex = i;
          bestValue = v;
        }
      }
      List<TrainResult.Candidate> candidates = new ArrayList<>();
      for (int i = 0; i < grid.size(); i++) {
        candidates.add(new TrainResult.Candidate(grid.get(i), values.get(i), i == bestIndex));
      }
      double threshold = s.fixedThreshold().isPresent() ? s.fixedThreshold().getAsDouble()
          : evaluator.maxF1Threshold(bestValidation);
      Evaluation validation = evaluator.evaluate(bestValidation, threshold, List.of());
      Dataset<Row> testPredictions = ModelFitter.predict(best, splits.test());
      Evaluation test = evaluator.evaluate(testPredictions, threshold, s.slices());

      Optional<ModelVersion> production = registry.inStage(s.name(), Stage.PRODUCTION);
      Optional<Map.Entry<String, Evaluation>> champion = production.map(p -> new AbstractMap.SimpleEntry<>(p.id(),
          evaluateChampion(p, spec, built, splits, evaluator, run)));
      GateVerdict verdict = new Gate(s.gate(), metric).judge(test, champion);

      String artifact = registry.artifactFolder(s.name(), run.runId());
      try {
        best.write().overwrite().save(artifact + "/model");
      } catch (java.io.IOException e) {
        throw new PlatformException("Cannot save the model of " + s.name() + " to " + artifact + ": " + e.getMessage(), e);
      }
      List<Column> keep = new ArrayList<>();
      s.spine().keys().forEach(k -> keep.add(col("`" + k + "`")));
      keep.add(col(ModelFitter.PROBABILITY));
      testPredictions.select(keep.toArray(Column[]::new)).write().mode("overwrite").parquet(artifact + "/test_predictions");

      Map<String, Object> evaluation = new LinkedHashMap<>(EvaluationJson.of(test));
      evaluation.put("validation", validation.overall().asMap());
      evaluation.put("selection_metric", metric);
      evaluation.put("candidates", EvaluationJson.candidates(candidates));
      evaluation.put("class_weights", Map.of("positive", splits.positiveWeight(), "negative", splits.negativeWeight()));
      Map<String, Double> metrics = new LinkedHashMap<>();
      test.overall().asMap().forEach((k, v) -> {
        if (v != null) {
          metrics.put(k, v);
        }
      });
      ModelVersion candidate = new ModelVersion(s.name(), 0, Stage.NONE, run.runId(), createdBy, clock.instant(),
          s.algorithm().type(), grid.get(bestIndex), s.seed(), threshold, metrics, Json.write(evaluation), verdict.passed(),
          verdict.json(), new TableVersion(trainingSetTable(s.name()), saved.version()), built.service().name(),
          built.service().version(), built.viewPins(), built.sources(), split.json(splits.rows()), built.featureColumns(),
          spec.file(), spec.text(), spec.sha256(), code.label(), w.spark().version(), artifact);
      ModelVersion registered = registry.register(candidate, run);
      protectPins(registered);
      boolean promoted = false;
      if (verdict.passed()) {
        registered = registry.transition(s.name(), registered.version(), Stage.STAGING, createdBy, "passed the gate", run);
        if (s.autoPromote() && mayAutoPromote) {
          registered = registry.transition(s.name(), registered.version(), Stage.PRODUCTION, "policy:auto",
              "promotion: auto in " + spec.file() + "; the gate passed (" + String.join("; ", verdict.checks().stream()
                  .map(c -> c.message()).toList()) + ")", run);
          promoted = true;
        }
      }
      return new TrainResult(registered, saved, candidates, metric, test, verdict, promoted);
    } finally {
      splits.release();
    }
  }

  /**
   * Keeps the Delta log and removed files of every table the version pins (feature views, the
   * training set, the spine's sources) for {@code training.pin-retention}: Delta refuses time
   * travel beyond a table's deleted-file retention, so without this the pins would lapse.
   */
  private void protectPins(ModelVersion v) {
    java.time.Duration retention = store.warehouse().config().training().pinRetentionDuration();
    List<TableName> tables = new ArrayList<>();
    v.featurePins().forEach(p -> tables.add(p.table().table()));
    tables.add(v.trainingSet().table());
    v.sourceTables().forEach(t -> tables.add(t.table()));
    for (TableName t : tables.stream().distinct().toList()) {
      dev.mlops.features.maintenance.FeatureTableRetention.ensureAtLeast(store.warehouse(), t, retention);
    }
  }

  /**
   * The Production version's evaluation on this run's test rows: its own pipeline and threshold,
   * on the same rows; when it consumed other features, they are built for those rows through its
   * own spec.
   */
  private Evaluation evaluateChampion(ModelVersion champion, LoadedSpec spec, BuiltTrainingSet built, PreparedSplits splits,
      BinaryEvaluator evaluator, JobRun run) {
    PipelineModel model = PipelineModel.load(champion.modelPath());
    Dataset<Row> rows = splits.test();
    boolean sameFeatures = champion.featureService().equals(built.service().name())
        && champion.featureServiceVersion() == built.service().version()
        && List.of(rows.columns()).containsAll(champion.featureColumns());
    if (!sameFeatures) {
      LoadedSpec theirs = new ModelSpecLoader(System::getenv).parse(champion.spec(), champion.specFile());
      List<String> needed = new ArrayList<>(List.of(rows.columns()));
      needed.removeIf(c -> champion.featureColumns().contains(c) && !theirs.spec().spine().requestFeatures().contains(c));
      Dataset<Row> spine = rows.select(needed.stream().map(c -> col("`" + c + "`")).toArray(Column[]::new));
      rows = new TrainingSetBuilder(store).build(theirs, spine, new dev.mlops.training.sets.PinnedSpine("(test rows)",
          List.of()), Map.of(), champion.featureServiceVersion(), run).rows();
    }
    return evaluator.evaluate(ModelFitter.predict(model, rows), champion.threshold(), spec.spec().slices());
  }
}
