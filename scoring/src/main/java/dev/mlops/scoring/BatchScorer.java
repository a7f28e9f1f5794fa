package dev.mlops.scoring;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import dev.mlops.core.config.Problems;
import dev.mlops.core.runs.JobRun;
import dev.mlops.core.spark.Identifiers;
import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.TableVersion;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.features.FeatureStore;
import dev.mlops.training.fit.ModelFitter;
import dev.mlops.training.registry.ModelRegistry;
import dev.mlops.training.registry.ModelVersion;
import dev.mlops.training.registry.Stage;
import dev.mlops.training.sets.BuiltTrainingSet;
import dev.mlops.training.sets.PinnedSpine;
import dev.mlops.training.sets.TrainingSetBuilder;
import dev.mlops.training.spec.ModelSpec.VariantSpec;
import dev.mlops.training.spec.ModelSpec;
import dev.mlops.training.spec.ModelSpecLoader.LoadedSpec;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code mlops score}: scores a day's rows with a model's Production version, and beside it the
 * Staging version as a shadow and any A/B variants, writing one predictions table partitioned by
 * day: the spine's columns, score, predicted label, threshold, model and version, role and
 * variant, the feature views' pinned versions, the features as used, and the run id.
 *
 * <p>Features come from {@link TrainingSetBuilder}, the code path training uses: the same
 * point-in-time join, the same service, so serving-time features are the training-time ones by
 * construction. A re-run of a day replaces that day in one Delta commit, so a failure leaves the
 * previous predictions. Not thread-safe.
 */
public final class BatchScorer {
  /** The predictions table of a model: {@code predictions.<model>}. */
  public static TableName predictionsTable(String model) {
    return new TableName("predictions", model);
  }

  /** The predictions table's partition column: the day scored. */
  public static final String SCORE_DATE = "score_date";

  /** The predictions table's column of the feature views' pins (see {@link #pinsColumn}). */
  static final String PINS = "feature_pins";

  /** Shadow comparisons of every model, a row per model and day. */
  public static final TableName SHADOW_COMPARISONS = TableName.parse("predictions.shadow_comparisons");

  /**
   * The Delta table property naming the columns whose per-file minimum, maximum and null count
   * Delta keeps for data skipping.
   */
  public static final String STATS_COLUMNS_PROPERTY = "delta.dataSkippingStatsColumns";

  private final Warehouse warehouse;
  private final FeatureStore store;
  private final ModelRegistry registry;

  public BatchScorer(Warehouse warehouse, FeatureStore store, ModelRegistry registry) {
    this.warehouse = warehouse;
    this.store = store;
    this.registry = registry;
  }

  /** Scores {@code date} for the model of {@code spec}. */
  public ScoreResult score(LoadedSpec spec, LocalDate date, JobRun run) {
    return score(spec, date, date, run);
  }

  /**
   * Scores every day from {@code first} to {@code last} (both included) in one pass: the days'
   * rows are unioned, joined with their features once, scored once per model, and written in
   * one commit that replaces exactly those days.
   */
  public ScoreResult score(LoadedSpec spec, LocalDate first, LocalDate last, JobRun run) {
    if (last.isBefore(first)) {
      throw ScoringErrors.rangeReversed(first, last);
    }
    ModelSpec s = spec.spec();
    if (s.scoring() == null) {
      throw spec.error("scoring", "is missing: add scoring.query (the day's rows) to score " + s.name() + " in batch");
    }
    Served served = served(spec);
    DayRows days = dayRows(spec, first, last);
    BuiltTrainingSet built = new TrainingSetBuilder(warehouse, store).build(spec, days.rows(), days.pinned(), Map.of(), run);
    served.versions().forEach(v -> checkInputs(v, built));
    Dataset<Row> assigned = built.rows().withColumn("variant", DailyVariants.column(warehouse, s.name(), s.scoring().ab(),
        first, last));
    boolean several = served.versions().size() > 1;
    Dataset<Row> rows = several ? assigned.persist(StorageLevel.MEMORY_AND_DISK()) : assigned;
    try {
      TableVersion written = write(s, served, rows, days.rows(), built, first, last, run);
      return summary(s, served, written, first, last, run);
    } finally {
      if (several) {
        rows.unpersist();
      }
    }
  }

  /**
   * The versions that score.
   *
   * @param production the Production version, whose rows are served unless a variant takes them
   * @param shadow the Staging version scoring the same rows beside it, when the spec asks for one
   * @param variants the A/B variants' versions by variant name
   */
  private record Served(ModelVersion production, Optional<ModelVersion> shadow, Map<String, ModelVersion> variants) {
    /** Every version: Production, the shadow, then the variants. */
    List<ModelVersion> versions() {
      List<ModelVersion> all = new ArrayList<>(List.of(production));
      shadow.ifPresent(all::add);
      all.addAll(variants.values());
      return all;
    }
  }

  /** The rows to score of every day, with the versions of their source tables. */
  private record DayRows(PinnedSpine pinned, Dataset<Row> rows) {}

  /**
   * The versions that score {@code spec}'s model; every variant that would serve a version whose
   * gate failed, or that is archived, is a problem, reported together.
   */
  private Served served(LoadedSpec spec) {
    ModelSpec s = spec.spec();
    ModelVersion production = registry.inStage(s.name(), Stage.PRODUCTION).orElseThrow(() -> ScoringErrors
        .noProductionVersion(s.name(), registry.versionsText(s.name()), !registry.versions(s.name()).isEmpty()));
    Optional<ModelVersion> shadow = s.scoring().shadow() ? registry.inStage(s.name(), Stage.STAGING)
        .filter(v -> v.version() != production.version()) : Optional.empty();
    Map<String, ModelVersion> variants = new LinkedHashMap<>();
    if (s.scoring().ab() != null) {
      Problems problems = spec.problems();
      for (VariantSpec v : s.scoring().ab().variants()) {
        ModelVersion served = registry.resolve(s.name(), v.model());
        if (!served.gatePassed() || served.stage() == Stage.ARCHIVED) {
          problems.add(spec.at("scoring.ab.variants"), "variant " + v.name() + " would serve " + served.id() + ", which "
              + (served.gatePassed() ? "is archived" : "failed its gate") + "; point it at a version that passed its gate");
        }
        variants.put(v.name(), served);
      }
      problems.throwIfAny();
    }
    return new Served(production, shadow, variants);
  }

  /**
   * The spec's scoring query run for every day, unioned, each row with its day in
   * {@value #SCORE_DATE}; every day's query reads the source versions the first day's read. Fails
   * when a day has no rows or the A/B key is not a column.
   */
  private DayRows dayRows(LoadedSpec spec, LocalDate first, LocalDate last) {
    ModelSpec s = spec.spec();
    Warehouse w = warehouse;
    PinnedSpine pinned = null;
    Dataset<Row> spine = null;
    for (LocalDate date = first; !date.isAfter(last); date = date.plusDays(1)) {
      String sql = s.scoring().query().replace("{date}", date.toString());
      PinnedSpine day = PinnedSpine.of(w, new ModelSpec.SpineSpec(sql, null, s.spine().keys(), s.spine().eventTime(),
          s.spine().label(), s.spine().requestFeatures()), pinned == null ? Map.of() : TrainingSetBuilder.sourcePins(pinned.sources()));
      Dataset<Row> rows;
      try {
        rows = w.spark().sql(day.sql()).withColumn(SCORE_DATE, lit(Date.valueOf(date)));
      } catch (Exception e) {
        throw spec.error("scoring.query", "cannot be read for " + date + ": " + message(e));
      }
      spine = spine == null ? rows : spine.unionByName(rows);
      pinned = pinned == null ? day : pinned;
    }
    requireEveryDay(spec, spine, first, last);
    if (s.scoring().ab() != null && !List.of(spine.columns()).contains(s.scoring().ab().key())) {
      throw spec.error("scoring.ab.key", "column " + s.scoring().ab().key() + " is not in the scoring rows (their columns: "
          + String.join(", ", spine.columns()) + ")");
    }
    return new DayRows(pinned, spine);
  }

  /** Fails, before anything is written, when the scoring query gives no rows for a day of the range. */
  private static void requireEveryDay(LoadedSpec spec, Dataset<Row> spine, LocalDate first, LocalDate last) {
    java.util.Set<LocalDate> present = new java.util.HashSet<>();
    spine.select(SCORE_DATE).distinct().collectAsList().forEach(r -> present.add(r.getDate(0).toLocalDate()));
    List<String> empty = new ArrayList<>();
    for (LocalDate date = first; !date.isAfter(last); date = date.plusDays(1)) {
      if (!present.contains(date)) {
        empty.add(date.toString());
      }
    }
    if (!empty.isEmpty()) {
      String range = first.equals(last) ? first.toString() : first + " .. " + last;
      throw ScoringErrors.noRowsForDays(spec.spec().name(), range, spec.file(), empty);
    }
  }

  /**
   * Scores {@code rows} with every served version and writes the predictions in one commit that
   * replaces the days from {@code first} to {@code last}.
   *
   * @param spine the scoring rows as read, whose columns the predictions keep
   */
  private TableVersion write(ModelSpec s, Served served, Dataset<Row> rows, Dataset<Row> spine, BuiltTrainingSet built,
      LocalDate first, LocalDate last, JobRun run) {
    Warehouse w = warehouse;
    List<String> spineColumns = new ArrayList<>(List.of(spine.columns()));
    spineColumns.remove(SCORE_DATE);
    Column features = struct(built.featureColumns().stream().map(Identifiers::column).toArray(Column[]::new));
    TableName table = predictionsTable(s.name());
    Column pins = pinsColumn(w, table, built.viewPins().stream().map(p -> p.view() + " v" + p.viewVersion() + " @ "
        + p.table().table() + " v" + p.table().version()).toList());
    int explain = s.scoring().explainTop();
    Dataset<Row> out = predict(served.production(), rows.where(col("variant").isNull()), "production", spineColumns,
        features, pins, run, explain);
    for (Map.Entry<String, ModelVersion> v : served.variants().entrySet()) {
      out = out.unionByName(predict(v.getValue(), rows.where(col("variant").equalTo(v.getKey())), "variant:" + v.getKey(),
          spineColumns, features, pins, run, explain));
    }
    if (served.shadow().isPresent()) {
      out = out.unionByName(predict(served.shadow().get(), rows, "shadow", spineColumns, features, pins, run, explain));
    }
    TableVersion written = w.write(out, table).partitionBy(SCORE_DATE).mergingSchema().replacing(days(first, last))
        .creationProperty(STATS_COLUMNS_PROPERTY, statsColumns(s, out.schema())).commitInfo(run.commitInfo()).commit();
    run.output(written);
    return written;
  }

  /**
   * What a scoring wrote: the rows per role, the positive rate of the served rows, and the shadow
   * comparisons of the days (or none, the days' old ones removed, without a shadow).
   */
  private ScoreResult summary(ModelSpec s, Served served, TableVersion written, LocalDate first, LocalDate last,
      JobRun run) {
    Dataset<Row> day = warehouse.read(written).where(days(first, last));
    Map<String, Long> byRole = new LinkedHashMap<>();
    double positives = 0;
    long servedRows = 0;
    for (Row r : day.groupBy("role").agg(org.apache.spark.sql.functions.count(lit(1)),
        org.apache.spark.sql.functions.sum("predicted_label")).orderBy("role").collectAsList()) {
      byRole.put(r.getString(0), r.getLong(1));
      if (!r.getString(0).equals("shadow")) {
        servedRows += r.getLong(1);
        positives += r.isNullAt(2) ? 0 : r.getLong(2);
      }
    }
    List<ShadowComparison> comparisons = served.shadow().map(v -> compare(day, s, served.production(), v, first, last, run))
        .orElseGet(() -> {
          forgetComparisons(s, first, last, run);
          return List.of();
        });
    return new ScoreResult(s.name(), first, last, served.production().version(), written, servedRows, byRole,
        servedRows == 0 ? Double.NaN : positives / servedRows, comparisons);
  }

  /** The predicate of the days from {@code first} to {@code last} in a predictions or comparisons table. */
  private static String days(LocalDate first, LocalDate last) {
    return SCORE_DATE + " >= DATE'" + first + "' AND " + SCORE_DATE + " <= DATE'" + last + "'";
  }

  /**
   * The {@code feature_pins} column: every view's pin, {@code view vN @ table vD}, as one text
   * joined by {@code ", "}: one value a row is cheaper for Parquet to write than a list, which
   * also writes a repetition level and a group per element. A predictions table whose column is a
   * list of texts keeps getting lists: a column's type does not change.
   */
  static Column pinsColumn(Warehouse w, TableName table, List<String> pins) {
    StructType existing = w.exists(table) ? w.read(table).schema() : new StructType();
    boolean list = List.of(existing.fieldNames()).contains(PINS)
        && existing.apply(PINS).dataType() instanceof org.apache.spark.sql.types.ArrayType;
    return list ? lit(pins.toArray(String[]::new)) : lit(String.join(", ", pins));
  }

  /**
   * The columns a predictions table keeps file statistics for: the keys and event time, the score
   * and label, and the lineage columns that tell one write's files from another's (role, variant,
   * model version, run, time), as far as Delta can keep statistics for their types (numbers, text,
   * dates, times) and they are not the partition column. Not the features struct, the scoring
   * query's other columns, the threshold or the names that are the same in every file:
   * collecting statistics costs work per row and value, and those would never skip a file.
   * Delta's default, the first 32 leaf columns, spent it on them.
   */
  public static String statsColumns(ModelSpec s, StructType written) {
    List<String> candidates = new ArrayList<>(s.spine().keys());
    candidates.add(s.spine().eventTime());
    candidates.addAll(List.of("score", "predicted_label", "model_version", "role", "variant", "run_id", "scored_at"));
    List<String> columns = new ArrayList<>();
    for (String c : candidates) {
      if (!c.equals(SCORE_DATE) && !columns.contains(c) && List.of(written.fieldNames()).contains(c)
          && keepsStatistics(written.apply(c).dataType())) {
        columns.add(c);
      }
    }
    return String.join(",", columns.stream().map(Identifiers::quote).toList());
  }

  /** Whether Delta keeps minimum and maximum statistics for a column of this type. */
  private static boolean keepsStatistics(org.apache.spark.sql.types.DataType t) {
    return t instanceof org.apache.spark.sql.types.NumericType || t instanceof org.apache.spark.sql.types.StringType
        || t instanceof org.apache.spark.sql.types.DateType || t instanceof org.apache.spark.sql.types.TimestampType
        || t instanceof org.apache.spark.sql.types.TimestampNTZType;
  }

  /**
   * {@code rows} scored by {@code v}, with the predictions table's columns; with {@code explain}
   * above 0, also the explanation columns ({@link RowExplanations}), filled for served rows.
   */
  private Dataset<Row> predict(ModelVersion v, Dataset<Row> rows, String role, List<String> spineColumns, Column features,
      Column pins, JobRun run, int explain) {
    PipelineModel model = PipelineModel.load(v.modelPath());
    Dataset<Row> scored = ModelFitter.predict(model, rows);
    List<Column> out = new ArrayList<>();
    spineColumns.forEach(c -> out.add(Identifiers.column(c)));
    out.add(col(ModelFitter.PROBABILITY).as("score"));
    out.add(when(col(ModelFitter.PROBABILITY).geq(v.threshold()), 1).otherwise(0).as("predicted_label"));
    out.add(lit(v.threshold()).as("threshold"));
    out.add(lit(v.model()).as("model"));
    out.add(lit(v.version()).as("model_version"));
    out.add(lit(role).as("role"));
    out.add(col("variant"));
    out.add(lit(v.featureService()).as("feature_service"));
    out.add(lit(v.featureServiceVersion()).as("feature_service_version"));
    out.add(pins.as(PINS));
    out.add(features.as("features"));
    out.add(lit(run.runId()).as("run_id"));
    out.add(current_timestamp().as("scored_at"));
    out.add(col(SCORE_DATE));
    if (explain > 0) {
      out.addAll(RowExplanations.columns(v, model, explain, !role.equals("shadow")));
    }
    return scored.select(out.toArray(Column[]::new));
  }

  /**
   * Compares, day by day, the shadow rows with the served Production rows, and records each day
   * in {@link #SHADOW_COMPARISONS}.
   */
  private List<ShadowComparison> compare(Dataset<Row> days, ModelSpec s, ModelVersion production, ModelVersion shadow,
      LocalDate first, LocalDate last, JobRun run) {
    List<String> keys = s.spine().keys();
    List<String> pCols = new ArrayList<>(List.of(SCORE_DATE));
    List<String> sCols = new ArrayList<>(List.of(SCORE_DATE + " AS s_date"));
    for (int i = 0; i < keys.size(); i++) {
      pCols.add(Identifiers.quote(keys.get(i)) + " AS k" + i);
      sCols.add(Identifiers.quote(keys.get(i)) + " AS s_k" + i);
    }
    pCols.addAll(List.of("score AS p", "predicted_label AS pl"));
    sCols.addAll(List.of("score AS s", "predicted_label AS sl"));
    Dataset<Row> p = days.where("role <> 'shadow'").selectExpr(pCols.toArray(String[]::new));
    Dataset<Row> sh = days.where("role = 'shadow'").selectExpr(sCols.toArray(String[]::new));
    Column on = p.col(SCORE_DATE).equalTo(sh.col("s_date"));
    for (int i = 0; i < keys.size(); i++) {
      on = on.and(p.col("k" + i).eqNullSafe(sh.col("s_k" + i)));
    }
    List<Row> perDay = p.join(sh, on)
        .groupBy(SCORE_DATE).agg(org.apache.spark.sql.functions.expr("count(*)"),
            org.apache.spark.sql.functions.expr("avg(CASE WHEN pl = sl THEN 1.0 ELSE 0.0 END)"),
            org.apache.spark.sql.functions.expr("corr(p, s)"), org.apache.spark.sql.functions.expr("avg(pl)"),
            org.apache.spark.sql.functions.expr("avg(sl)")).orderBy(SCORE_DATE).collectAsList();
    StructType schema = new StructType().add(SCORE_DATE, "date").add("model", "string").add("production_version", "int")
        .add("shadow_version", "int").add("rows", "long").add("agreement_rate", "double").add("score_correlation", "double")
        .add("production_positive_rate", "double").add("shadow_positive_rate", "double")
        .add("positive_rate_difference", "double").add("run_id", "string");
    List<ShadowComparison> out = new ArrayList<>();
    List<Row> rows = new ArrayList<>();
    for (Row r : perDay) {
      ShadowComparison c = new ShadowComparison(r.getDate(0).toLocalDate(), production.version(), shadow.version(),
          r.getLong(1), nan(r, 2), nan(r, 3), nan(r, 4), nan(r, 5));
      out.add(c);
      rows.add(org.apache.spark.sql.RowFactory.create(r.getDate(0), s.name(), c.productionVersion(), c.shadowVersion(),
          c.rows(), c.agreementRate(), c.scoreCorrelation(), c.productionPositiveRate(), c.shadowPositiveRate(),
          c.positiveRateDifference(), run.runId()));
    }
    Warehouse w = warehouse;
    run.output(w.write(w.spark().createDataFrame(rows, schema), SHADOW_COMPARISONS).partitionBy("model")
        .replacing("model = '" + s.name() + "' AND " + days(first, last)).commitInfo(run.commitInfo()).commit());
    return out;
  }

  /** Removes the shadow comparisons of days re-scored without a shadow, so that none describes rows that are gone. */
  private void forgetComparisons(ModelSpec s, LocalDate first, LocalDate last, JobRun run) {
    Warehouse w = warehouse;
    if (w.exists(SHADOW_COMPARISONS)) {
      w.withCommitInfo(run.commitInfo(), session -> io.delta.tables.DeltaTable.forPath(session, w.location(SHADOW_COMPARISONS))
          .delete("model = '" + s.name() + "' AND " + days(first, last)));
    }
  }

  /**
   * Fails when the features built now are not the inputs {@code v} was trained on: a column
   * missing, or of another type than in its training set.
   */
  private void checkInputs(ModelVersion v, BuiltTrainingSet built) {
    java.util.Set<String> viewsNow = new java.util.TreeSet<>();
    built.viewPins().forEach(p -> viewsNow.add(p.view() + " v" + p.viewVersion()));
    java.util.Set<String> viewsThen = new java.util.TreeSet<>();
    v.featurePins().forEach(p -> viewsThen.add(p.view() + " v" + p.viewVersion()));
    if (!v.featureService().equals(built.service().name()) || v.featureServiceVersion() != built.service().version()
        || !viewsThen.equals(viewsNow)) {
      throw ScoringErrors.trainedOnOtherFeatures(v.id(), v.featureService(), v.featureServiceVersion(), viewsThen,
          built.service().id(), viewsNow);
    }
    StructType trained = warehouse.read(v.trainingSet()).schema();
    StructType now = built.rows().schema();
    for (String c : v.featureColumns()) {
      if (!List.of(now.fieldNames()).contains(c)) {
        throw ScoringErrors.inputMissing(v.id(), c, built.featureColumns());
      }
      StructField then = trained.apply(c);
      StructField current = now.apply(c);
      if (!then.dataType().equals(current.dataType())) {
        throw ScoringErrors.inputRetyped(v.id(), c, then.dataType().simpleString(), current.dataType().simpleString());
      }
    }
  }

  private static double nan(Row r, int i) {
    return r.isNullAt(i) ? Double.NaN : ((Number) r.get(i)).doubleValue();
  }

  private static String message(Exception e) {
    return e instanceof org.apache.spark.sql.AnalysisException a ? a.getSimpleMessage() : e.getMessage();
  }
}
