package dev.mlops.benchmarks;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import dev.mlops.core.CodeVersion;
import dev.mlops.core.demo.DemoDataSpec;
import dev.mlops.core.demo.DemoDataWriter;
import dev.mlops.core.runs.RunRecorder;
import dev.mlops.core.spark.Identifiers;
import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.TableVersion;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.features.FeatureStore;
import dev.mlops.features.FeatureView;
import dev.mlops.scoring.BatchScorer;
import dev.mlops.scoring.ScoreResult;
import dev.mlops.training.ModelTrainer;
import dev.mlops.training.TrainResult;
import dev.mlops.training.fit.ModelFitter;
import dev.mlops.training.registry.DeltaModelRegistry;
import dev.mlops.training.registry.ModelVersion;
import dev.mlops.training.sets.BuiltTrainingSet;
import dev.mlops.training.sets.PinnedSpine;
import dev.mlops.training.sets.TrainingSetBuilder;
import dev.mlops.training.spec.ModelSpec;
import dev.mlops.training.spec.ModelSpecLoader.LoadedSpec;
import dev.mlops.training.spec.ModelSpecLoader;
import java.nio.file.Path;
import java.sql.Date;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code mlops bench score}: the whole scoring job ({@link BatchScorer}: the day's rows, the
 * point-in-time join with three feature views, a GBT model, the predictions written with their
 * features into a Delta partition) against a bare {@code model.transform} plus the same write on
 * features joined beforehand, in the same process on the same data.
 *
 * <p>Data: the demo generator over seven days, about 5M transactions in the last five (by
 * default), the repository's feature views materialized on them, a GBT (20 trees of depth 5)
 * trained on a sample of the first two days, and the last five days scored in one job. Each variant runs {@code repeat} times, alternating; the fastest run counts.
 */
public final class ScoreBenchmark {
  /** The first of seven generated days; the model trains on the first two (whose fraud reports have come in). */
  static final LocalDate FIRST = LocalDate.of(2026, 10, 1);
  /** The first day scored: the third. */
  static final LocalDate DAY = FIRST.plusDays(2);
  /** The last day scored: the seventh (the demo generator makes at least seven days). */
  static final LocalDate LAST = FIRST.plusDays(6);
  static final String SPEC = """
      name: bench_score
      feature-service: {name: fraud_detection, version: 1}
      spine:
        query: |
          SELECT t.transaction_id, t.customer_id, t.merchant_id, t.event_ts, t.amount, t.channel, t.merchant_category,
                 CASE WHEN l.transaction_id IS NULL THEN 0 ELSE 1 END AS is_fraud
          FROM raw.transactions t LEFT JOIN raw.fraud_labels l ON t.transaction_id = l.transaction_id
          WHERE t.date < DATE'2026-10-03' AND (l.transaction_id IS NOT NULL OR pmod(xxhash64(t.transaction_id), 100) < 2)
        keys: [transaction_id]
        event-time: event_ts
        label: is_fraud
        request-features: [amount, channel, merchant_category]
      split: {fractions: {train: 0.6, validation: 0.2, test: 0.2}}
      algorithm: {type: gbt, params: {maxIter: 20, maxDepth: 5}}
      seed: 7
      threshold: 0.5
      promotion: auto
      scoring:
        query: |
          SELECT transaction_id, customer_id, merchant_id, event_ts, amount, channel, merchant_category, date
          FROM raw.transactions WHERE date = DATE'{date}'
      """;

  /** The bare baseline's predictions. */
  static final TableName BARE = TableName.parse("bench.bare_predictions");

  private final Warehouse warehouse;
  private final RunRecorder runs;
  private final Path featureRepo;
  private final int repeat;

  /**
   * @param warehouse a warehouse of the benchmark's own (its tables are rewritten)
   * @param runs records the jobs
   * @param featureRepo the feature repository (the demo's views and service)
   * @param repeat runs of each variant; the fastest counts
   */
  public ScoreBenchmark(Warehouse warehouse, RunRecorder runs, Path featureRepo, int repeat) {
    this.warehouse = warehouse;
    this.runs = runs;
    this.featureRepo = featureRepo;
    this.repeat = Math.max(1, repeat);
  }

  /** Generates the data, trains the model, and measures both variants on {@code rows} transactions. */
  public BenchResult run(long rows, Consumer<String> progress, Consumer<BenchResult> report) {
    Prepared prepared = prepare(rows, progress);
    FeatureStore store = prepared.store();
    LoadedSpec spec = prepared.spec();
    ModelVersion model = prepared.model();
    progress.accept("joining the features beforehand, for the bare baseline");
    TableVersion features = prejoin(spec, store);
    long joinedRows = warehouse.read(features).count();

    double ours = Double.MAX_VALUE;
    double bare = Double.MAX_VALUE;
    ScoreResult last = null;
    for (int i = 0; i < repeat; i++) {
      progress.accept("bare transform + write, run " + (i + 1));
      bare = Math.min(bare, time(() -> bare(spec, model.version(), features)));
      progress.accept("scoring job, run " + (i + 1) + " (a fresh feature store and registry: nothing cached)");
      long start = System.nanoTime();
      last = runs.run("bench.score", List.of(), r -> new BatchScorer(warehouse, coldStore(), new DeltaModelRegistry(warehouse,
          Clock.systemUTC())).score(spec, DAY, LAST, r));
      ours = Math.min(ours, (System.nanoTime() - start) / 1e9);
    }
    progress.accept("comparing the predictions row by row");
    OutputComparison comparison = compare(warehouse.read(BatchScorer.predictionsTable(spec.spec().name())),
        warehouse.read(BARE), 5);
    if (!comparison.agrees()) {
      progress.accept("score: OUTPUTS DIFFER: " + comparison.firstMismatches());
    }
    Map<String, Object> details = BenchResult.details("model.transform + the same Delta write (same statistics columns) on"
        + " features joined beforehand; both cold", comparison);
    details.put("overhead", Math.round(ours / bare * 100) / 100.0);
    details.put("goal_overhead_at_most", 1.5);
    details.put("rows_per_second", Math.round(last.rows() / ours));
    details.put("model", "gbt 20 trees depth 5, " + model.featureColumns().size() + " features");
    details.put("prejoined_rows", joinedRows);
    details.put("test_roc_auc", model.metrics().get("roc_auc"));
    details.put("days_scored", DAY + " .. " + LAST);
    BenchResult result = new BenchResult(name(rows), last.rows(), ours, bare, details);
    report.accept(result);
    return result;
  }

  /** The scored days' rows joined with their features (the training-set builder), written for the bare baseline. */
  private TableVersion prejoin(LoadedSpec spec, FeatureStore store) {
    TableName prejoined = TableName.parse("bench.prejoined_features");
    runs.run("bench.score.prejoin", List.of(), r -> {
      String sql = spec.spec().scoring().query().replace("DATE'{date}'", "DATE'" + DAY + "' AND DATE'" + LAST + "'")
          .replace("date =", "date BETWEEN");
      PinnedSpine pinned = PinnedSpine.of(warehouse, new ModelSpec.SpineSpec(sql, null, spec.spec().spine().keys(),
          spec.spec().spine().eventTime(), spec.spec().spine().label(), spec.spec().spine().requestFeatures()), Map.of());
      Dataset<Row> spine = warehouse.spark().sql(pinned.sql()).withColumn(BatchScorer.SCORE_DATE, col("date"));
      BuiltTrainingSet built = new TrainingSetBuilder(warehouse, store).build(spec, spine, pinned, Map.of(), r);
      return warehouse.write(built.rows(), prejoined).overwriting(true).commit();
    });
    return warehouse.current(prejoined);
  }

  private static String name(long rows) {
    return rows >= 1_000_000 ? "score " + rows / 1_000_000 + "M" : "score " + rows / 1_000 + "k";
  }

  private FeatureStore coldStore() {
    return FeatureStore.open(warehouse, featureRepo, featureRepo.toString(), Clock.systemUTC(), System::getenv);
  }

  /**
   * Our predictions against the bare baseline's, row by row on the transaction: the same rows,
   * scores and labels, bit for bit.
   */
  static OutputComparison compare(Dataset<Row> ours, Dataset<Row> bare, int limit) {
    Dataset<Row> bad = ours.alias("o").join(bare.alias("b"), col("o.transaction_id").equalTo(col("b.transaction_id")), "full_outer")
        .where("o.transaction_id IS NULL OR b.transaction_id IS NULL OR NOT (o.score <=> b.score)"
            + " OR NOT (o.predicted_label <=> b.predicted_label)")
        .select(col("o.transaction_id"), col("o.score"), col("o.predicted_label"), col("b.transaction_id"), col("b.score"),
            col("b.predicted_label"));
    OutputComparison out = OutputComparison.exact();
    List<Row> first = bad.limit(limit).collectAsList();
    first.forEach(r -> out.check("prediction differs (ours id, score, label; baseline's): " + r, false));
    if (!first.isEmpty()) {
      out.check(bad.count() + " predictions differ in all", false);
    }
    return out;
  }

  /** What the benchmarks score with: the feature store, the registry, the spec and its Production version. */
  record Prepared(FeatureStore store, DeltaModelRegistry registry, LoadedSpec spec, ModelVersion model) {}

  /**
   * Generates {@code rows} transactions to score over {@link #DAY} .. {@link #LAST} and two days
   * before, materializes the repository's views, and trains the GBT (auto-promoted).
   */
  Prepared prepare(long rows, Consumer<String> progress) {
    progress.accept("generating " + rows + " transactions to score over " + DAY + " .. " + LAST + ", and two days before");
    DemoDataSpec demo = new DemoDataSpec(7, rows * 7 / 5 / 1_000_000.0, FIRST, 7, LAST);
    runs.run("bench.score.data", List.of(), r -> new DemoDataWriter(warehouse).write(demo, r, progress));
    FeatureStore store = FeatureStore.open(warehouse, featureRepo, featureRepo.toString(), Clock.systemUTC(), System::getenv);
    runs.run("bench.score.apply", List.of(), store::apply);
    for (FeatureView v : store.repo().views()) {
      progress.accept("materializing " + v.id());
      runs.run("bench.score.materialize", List.of(), r -> store.backfill(v.name(), v.version(), LAST, r).orElseThrow());
    }
    DeltaModelRegistry registry = new DeltaModelRegistry(warehouse, Clock.systemUTC());
    LoadedSpec spec = new ModelSpecLoader(k -> null).parse(SPEC, "bench_score.yaml");
    progress.accept("training the GBT");
    TrainResult trained = runs.run("bench.score.train", List.of(), r -> new ModelTrainer(warehouse, store, registry, Clock.systemUTC(),
        CodeVersion.current()).train(spec, "bench", r));
    return new Prepared(store, registry, spec, trained.version());
  }

  /**
   * The baseline, cold: the model found in a fresh registry and loaded, the joined features read,
   * transformed, and the predictions written with the features, keeping statistics on the same
   * columns as the scoring job's table.
   */
  private void bare(LoadedSpec spec, int version, TableVersion features) {
    ModelVersion model = new DeltaModelRegistry(warehouse, Clock.systemUTC()).version(spec.spec().name(), version);
    Dataset<Row> rows = warehouse.read(features);
    PipelineModel pipeline = PipelineModel.load(model.modelPath());
    Dataset<Row> scored = ModelFitter.predict(pipeline, rows);
    List<Column> out = new ArrayList<>();
    for (String c : List.of("transaction_id", "customer_id", "merchant_id", "event_ts", "amount", "channel",
        "merchant_category", "date")) {
      out.add(Identifiers.column(c));
    }
    out.add(col(ModelFitter.PROBABILITY).as("score"));
    out.add(when(col(ModelFitter.PROBABILITY).geq(model.threshold()), 1).otherwise(0).as("predicted_label"));
    out.add(struct(model.featureColumns().stream().map(Identifiers::column).toArray(Column[]::new)).as("features"));
    out.add(col(BatchScorer.SCORE_DATE));
    Dataset<Row> predictions = scored.select(out.toArray(Column[]::new));
    warehouse.write(predictions, BARE).partitionBy(BatchScorer.SCORE_DATE).overwriting(true)
        .creationProperty(BatchScorer.STATS_COLUMNS_PROPERTY, BatchScorer.statsColumns(spec.spec(), predictions.schema())).commit();
  }

  private static double time(Runnable r) {
    long start = System.nanoTime();
    r.run();
    return (System.nanoTime() - start) / 1e9;
  }
}
