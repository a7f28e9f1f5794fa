package dev.mlops.training;

import static org.apache.spark.sql.functions.col;

import dev.mlops.core.tables.Warehouse;
import dev.mlops.core.CodeVersion;
import dev.mlops.core.config.Problems;
import dev.mlops.core.runs.JobRun;
import dev.mlops.core.spark.Identifiers;
import dev.mlops.core.tables.Json;
import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.TableVersion;
import dev.mlops.features.FeatureStore;
import dev.mlops.features.pit.TrainingSet;
import dev.mlops.features.pit.TrainingSetWriter;
import dev.mlops.training.evaluation.BinaryEvaluator;
import dev.mlops.training.evaluation.BinaryMetrics;
import dev.mlops.training.evaluation.Evaluation;
import dev.mlops.training.fairness.FairnessAudit;
import dev.mlops.training.fairness.FairnessAuditor;
import dev.mlops.training.fairness.FairnessTable;
import dev.mlops.training.explain.GlobalExplanation;
import dev.mlops.training.fit.ModelFitter;
import dev.mlops.training.fit.PipelineFactory;
import dev.mlops.training.fit.PreparedSplits;
import dev.mlops.training.fit.TimeSplit;
import dev.mlops.training.gate.Champion;
import dev.mlops.training.gate.Gate;
import dev.mlops.training.gate.GateVerdict;
import dev.mlops.training.registry.ModelRegistry;
import dev.mlops.training.registry.ModelVersion;
import dev.mlops.training.registry.Stage;
import dev.mlops.training.sets.BuiltTrainingSet;
import dev.mlops.training.sets.RecordedTrainingSet;
import dev.mlops.training.sets.TrainingSetBuilder;
import dev.mlops.training.spec.ModelSpec;
import dev.mlops.training.spec.ModelSpecLoader.LoadedSpec;
import dev.mlops.training.spec.ModelSpecLoader;
import java.time.Clock;
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

  private final Warehouse warehouse;
  private final FeatureStore store;
  private final ModelRegistry registry;
  private final Clock clock;
  private final CodeVersion code;

  public ModelTrainer(Warehouse warehouse, FeatureStore store, ModelRegistry registry, Clock clock, CodeVersion code) {
    this.warehouse = warehouse;
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
    return train(spec, buildTrainingSet(spec, trainingSetTable(spec.spec().name()), run), createdBy, mayAutoPromote, run);
  }

  /**
   * {@code mlops training-set}: builds {@code spec}'s training set point-in-time from its spine,
   * every view pinned, and saves it to {@code output} (replacing its rows, as a new Delta version)
   * with its record, so that {@link #train(LoadedSpec, RecordedTrainingSet, String, boolean, JobRun)}
   * trains on it later. Checks first what training would check of the rows' columns, and that the
   * spine has rows, so a set that cannot be trained on is not written.
   */
  public RecordedTrainingSet buildTrainingSet(LoadedSpec spec, TableName output, JobRun run) {
    ModelSpec s = spec.spec();
    BuiltTrainingSet built = new TrainingSetBuilder(warehouse, store).build(spec, Map.of(), Map.of(), run);
    if (warehouse.spark().sql(built.spineSql()).isEmpty()) {
      throw spec.error(s.spine().query() != null ? "spine.query" : "spine.table", "gives no rows, so the training set"
          + " would be empty; check that its source tables hold the dates it selects (nothing was written or registered)");
    }
    checkBeforeWriting(spec, built.rows(), built.featureColumns());
    RecordedTrainingSet record = new RecordedTrainingSet(null, s.name(), spec.recorded().sha256(), built.service().name(),
        built.service().version(), built.featureColumns(), built.viewPins(), built.sources(), 0);
    TrainingSetWriter.Written saved = new TrainingSetWriter(warehouse, clock).write(new TrainingSet(built.rows(),
        built.service(), built.viewPins()), output.toString(), built.spineSql(),
        Map.of(RecordedTrainingSet.KEY, record.toCommitInfo()), run);
    return record.savedAs(new TableVersion(output, saved.version()), saved.rows());
  }

  /**
   * As {@link #train(LoadedSpec, String, boolean, JobRun)}, on a training set saved earlier: the
   * version pins it (table version, view pins, sources) as if it had built it.
   *
   * @throws dev.mlops.core.PlatformException when the set was built for another model, another
   *     text of the spec, or another feature service version than the spec resolves to now
   */
  public TrainResult train(LoadedSpec spec, RecordedTrainingSet set, String createdBy, boolean mayAutoPromote, JobRun run) {
    ModelSpec s = spec.spec();
    requireBuiltFor(spec, set);
    Dataset<Row> rows = warehouse.read(set.table());
    run.input(set.table());
    checkBeforeWriting(spec, rows, set.featureColumns());
    TimeSplit split = TimeSplit.resolve(spec, rows);
    ModelFitter fitter = new ModelFitter(spec, set.featureColumns());
    PreparedSplits splits = fitter.prepare(rows, split);
    try {
      BinaryEvaluator evaluator = new BinaryEvaluator(fitter.label(), ModelFitter.PROBABILITY);
      GridSearch search = searchGrid(s, fitter, splits, evaluator);
      double threshold = threshold(s, evaluator, search.bestValidation());
      Evaluation validation = evaluator.evaluate(search.bestValidation(), threshold, List.of());
      Dataset<Row> testPredictions = ModelFitter.predict(search.best(), splits.test());
      Evaluation test = evaluator.evaluate(testPredictions, threshold, s.slices());
      Optional<Champion> champion = registry.inStage(s.name(), Stage.PRODUCTION).map(p -> new Champion(p.model(), p.version(),
          evaluateChampion(p, spec, set, splits, evaluator, run)));
      FairnessAudit fairness = s.fairness() == null ? null
          : new FairnessAuditor(fitter.label(), ModelFitter.PROBABILITY, s.fairness()).audit(testPredictions, threshold);
      GateVerdict gated = new Gate(s.gate(), search.metric()).judge(test, champion);
      GateVerdict verdict = fairness == null ? gated : fairness.gate(gated);
      String artifact = saveArtifacts(s, search.best(), testPredictions, run);
      Map<String, Object> evaluation = new LinkedHashMap<>(EvaluationJson.of(test));
      evaluation.put("validation", validation.overall().asMap());
      evaluation.put("selection_metric", search.metric());
      evaluation.put("candidates", EvaluationJson.candidates(search.candidates()));
      evaluation.put("class_weights", Map.of("positive", splits.positiveWeight(), "negative", splits.negativeWeight()));
      if (fairness != null) {
        evaluation.put("fairness", fairness.json());
      }
      ModelVersion candidate = ModelVersion.builder().model(s.name()).runId(run.runId()).createdBy(createdBy)
          .createdAt(clock.instant()).algorithm(s.algorithm().type()).params(search.chosenParams()).seed(s.seed())
          .threshold(threshold).metrics(definedMetrics(test)).evaluation(Json.write(evaluation))
          .gate(verdict.passed(), verdict.json()).trainingSet(set.table())
          .featureService(set.service(), set.serviceVersion()).featurePins(set.viewPins())
          .sourceTables(set.sources()).split(split.json(splits.rows())).featureColumns(set.featureColumns())
          .spec(spec.recorded()).versions(code.label(), warehouse.spark().version()).artifact(artifact)
          .globalExplanation(GlobalExplanation.of(search.best())).build();
      ModelVersion registered = registry.register(candidate, run);
      protectPins(registered);
      if (fairness != null) {
        FairnessTable.write(warehouse, s.name(), registered.version(), fairness, clock.instant(), run);
      }
      TrainingSetWriter.Written trainedOn = new TrainingSetWriter.Written(set.table().table().toString(),
          set.table().version(), set.rows());
      return promote(spec, registered, verdict, mayAutoPromote, run, new TrainResult(registered, trainedOn, search.candidates(),
          search.metric(), test, verdict, false));
    } finally {
      splits.release();
    }
  }

  /** Everything that can be checked before anything is written: slices, label, and the params of every candidate. */
  private static void checkBeforeWriting(LoadedSpec spec, Dataset<Row> rows, List<String> featureColumns) {
    ModelSpec s = spec.spec();
    List<String> columns = List.of(rows.columns());
    Problems problems = spec.problems();
    for (int i = 0; i < s.slices().size(); i++) {
      if (!columns.contains(s.slices().get(i))) {
        problems.add(spec.at("slices[" + i + "]"), "column " + s.slices().get(i) + " is not in the training set"
            + " (its columns: " + String.join(", ", columns) + ")");
      }
    }
    for (int i = 0; s.fairness() != null && i < s.fairness().attributes().size(); i++) {
      if (!columns.contains(s.fairness().attributes().get(i))) {
        problems.add(spec.at("fairness.attributes[" + i + "]"), "column " + s.fairness().attributes().get(i)
            + " is not in the training set: name a spine column or a feature of the service (its columns: "
            + String.join(", ", columns) + ")");
      }
    }
    if (!columns.contains(s.spine().label())) {
      problems.add(spec.at("spine.label"), "column " + s.spine().label() + " is not in the spine (its columns: "
          + String.join(", ", columns) + ")");
    }
    ModelFitter early = new ModelFitter(spec, featureColumns);
    for (Map<String, String> params : early.gridOf(PipelineFactory.fixedParams(s))) {
      PipelineFactory.create(spec, rows.schema(), featureColumns, params,
          s.classWeight().equals("balanced"), problems);
    }
    problems.throwIfAny();
  }

  /**
   * Fails unless {@code set} was built for {@code spec}: the same model, the same spec text, and
   * the feature service version the spec resolves to now (its pinned one, or the highest).
   */
  private void requireBuiltFor(LoadedSpec spec, RecordedTrainingSet set) {
    ModelSpec s = spec.spec();
    if (!set.model().equals(s.name())) {
      throw TrainingErrors.trainingSetMismatch(set.table(), s.name(), "it was built for model " + set.model());
    }
    if (!set.specSha256().equals(spec.recorded().sha256())) {
      throw TrainingErrors.trainingSetMismatch(set.table(), s.name(), "it was built from another text of the spec ("
          + shortHash(set.specSha256()) + "; " + spec.file() + " is " + shortHash(spec.recorded().sha256())
          + " now)");
    }
    dev.mlops.features.registry.RegisteredService now = store.registry().service(s.featureService().name(),
        s.featureService().version());
    if (!now.name().equals(set.service()) || now.version() != set.serviceVersion()) {
      throw TrainingErrors.trainingSetMismatch(set.table(), s.name(), "it was built with feature service " + set.service()
          + " v" + set.serviceVersion() + ", but the spec resolves to " + now.id() + " now");
    }
  }

  private static String shortHash(String sha256) {
    return "sha256 " + sha256.substring(0, Math.min(12, sha256.length()));
  }

  /** The decision threshold: the spec's fixed one, or the F1-maximizing one on the chosen candidate's validation predictions. */
  static double threshold(ModelSpec s, BinaryEvaluator evaluator, Dataset<Row> bestValidation) {
    return s.fixedThreshold().isPresent() ? s.fixedThreshold().getAsDouble() : evaluator.maxF1Threshold(bestValidation);
  }

  /**
   * The grid's search: every candidate fitted on the train split and measured on the validation
   * split by the selection metric. The first candidate wins ties, and a defined figure beats an
   * undefined one.
   */
  static GridSearch searchGrid(ModelSpec s, ModelFitter fitter, PreparedSplits splits, BinaryEvaluator evaluator) {
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
    return new GridSearch(metric, candidates, grid.get(bestIndex), best, bestValidation);
  }

  /** The grid's outcome: the chosen candidate's params, fitted pipeline and validation predictions. */
  record GridSearch(String metric, List<TrainResult.Candidate> candidates, Map<String, String> chosenParams,
      PipelineModel best, Dataset<Row> bestValidation) {}

  /** Saves the fitted pipeline and the test split's predictions (keys and probability) in the run's artifact folder. */
  private String saveArtifacts(ModelSpec s, PipelineModel best, Dataset<Row> testPredictions, JobRun run) {
    String artifact = registry.artifactFolder(s.name(), run.runId());
    try {
      best.write().overwrite().save(artifact + "/model");
    } catch (java.io.IOException e) {
      throw TrainingErrors.modelNotSaved(s.name(), artifact, e);
    }
    List<Column> keep = new ArrayList<>(Identifiers.columnList(s.spine().keys()));
    keep.add(col(ModelFitter.PROBABILITY));
    testPredictions.select(keep.toArray(Column[]::new)).write().mode("overwrite").parquet(artifact + "/test_predictions");
    return artifact;
  }

  private static Map<String, Double> definedMetrics(Evaluation test) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    test.overall().asMap().forEach((k, v) -> {
      if (v != null) {
        metrics.put(k, v);
      }
    });
    return metrics;
  }

  /** Moves a version that passed the gate to Staging, and on to Production when the spec's policy says so. */
  private TrainResult promote(LoadedSpec spec, ModelVersion registered, GateVerdict verdict, boolean mayAutoPromote,
      JobRun run, TrainResult result) {
    if (!verdict.passed()) {
      return result;
    }
    String model = spec.spec().name();
    ModelVersion staged = registry.transition(model, registered.version(), Stage.STAGING, registered.createdBy(),
        "passed the gate", run);
    if (!spec.spec().autoPromote() || !mayAutoPromote) {
      return new TrainResult(staged, result.trainingSet(), result.candidates(), result.selectionMetric(), result.test(),
          verdict, false);
    }
    ModelVersion promoted = registry.transition(model, staged.version(), Stage.PRODUCTION, "policy:auto", "promotion: auto in "
        + spec.file() + "; the gate passed (" + String.join("; ", verdict.checks().stream().map(c -> c.message()).toList())
        + ")", run);
    return new TrainResult(promoted, result.trainingSet(), result.candidates(), result.selectionMetric(), result.test(),
        verdict, true);
  }

  /**
   * Keeps the Delta log and removed files of every table the version pins (feature views, the
   * training set, the spine's sources) for {@code training.pin-retention}: Delta refuses time
   * travel beyond a table's deleted-file retention, so without this the pins would lapse.
   */
  private void protectPins(ModelVersion v) {
    java.time.Duration retention = warehouse.config().training().pinRetentionDuration();
    List<TableName> tables = new ArrayList<>();
    v.featurePins().forEach(p -> tables.add(p.table().table()));
    tables.add(v.trainingSet().table());
    v.sourceTables().forEach(t -> tables.add(t.table()));
    for (TableName t : tables.stream().distinct().toList()) {
      dev.mlops.features.maintenance.FeatureTableRetention.ensureAtLeast(warehouse, t, retention);
    }
  }

  /**
   * The Production version's evaluation on this run's test rows: its own pipeline and threshold,
   * on the same rows; when it consumed other features, they are built for those rows through its
   * own spec.
   */
  private Evaluation evaluateChampion(ModelVersion champion, LoadedSpec spec, RecordedTrainingSet set, PreparedSplits splits,
      BinaryEvaluator evaluator, JobRun run) {
    PipelineModel model = PipelineModel.load(champion.modelPath());
    Dataset<Row> rows = splits.test();
    boolean sameFeatures = champion.featureService().equals(set.service())
        && champion.featureServiceVersion() == set.serviceVersion()
        && List.of(rows.columns()).containsAll(champion.featureColumns());
    if (!sameFeatures) {
      LoadedSpec theirs = new ModelSpecLoader(System::getenv).recorded(champion.spec());
      List<String> needed = new ArrayList<>(List.of(rows.columns()));
      needed.removeIf(c -> champion.featureColumns().contains(c) && !theirs.spec().spine().requestFeatures().contains(c));
      Dataset<Row> spine = rows.select(needed.stream().map(Identifiers::column).toArray(Column[]::new));
      rows = new TrainingSetBuilder(warehouse, store).build(theirs, spine, new dev.mlops.training.sets.PinnedSpine("(test rows)",
          List.of()), Map.of(), champion.featureServiceVersion(), run).rows();
    }
    return evaluator.evaluate(ModelFitter.predict(model, rows), champion.threshold(), spec.spec().slices());
  }
}
