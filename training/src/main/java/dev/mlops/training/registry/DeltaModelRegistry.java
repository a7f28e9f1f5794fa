package dev.mlops.training.registry;

import static dev.mlops.training.registry.RegistryTables.ALIASES;
import static dev.mlops.training.registry.RegistryTables.EVENTS;
import static dev.mlops.training.registry.RegistryTables.VERSIONS;

import dev.mlops.core.runs.JobRun;
import dev.mlops.core.spark.Identifiers;
import dev.mlops.core.tables.Json;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.training.TrainingErrors;
import io.delta.tables.DeltaTable;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.ConcurrentModificationException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The model registry as Delta tables in the warehouse ({@code ml.registered_models},
 * {@code ml.model_versions}, {@code ml.model_events}, {@code ml.model_aliases}); artifacts live under
 * {@code <warehouse>/models/<name>/runs/<run id>/}, written before the version is registered.
 *
 * <p>Every stage change is one Delta MERGE that also archives the version it replaces, guarded
 * twice: the MERGE fails when, in the snapshot it commits on, the Production version is not the
 * one the caller saw (checked inside the MERGE with {@code raise_error}), and Delta's optimistic
 * concurrency fails it when another change committed while it ran. So at most one version is in
 * Production, and of racing promotions exactly one wins; the others get a clear error and a
 * {@code transition_refused} entry in the audit log. Thread-safe.
 *
 * <p>Each MERGE takes its commit metadata from a session of its own
 * ({@link Warehouse#withCommitInfo}), so changes racing in threads of one JVM keep their own
 * metadata, which the retry path reads ({@link #committedBy}).
 */
public final class DeltaModelRegistry implements ModelRegistry {
  private static final String CHANGED = "MLOPS_REGISTRY_CHANGED";
  private static final Pattern REFERENCE = Pattern.compile("(?:models:/)?([a-z][a-z0-9_]*)(?:/([A-Za-z0-9]+)|@([a-z][a-z0-9_-]*))");
  private static final Pattern ALIAS = Pattern.compile("[a-z][a-z0-9_-]{0,39}");

  private final Warehouse warehouse;
  private final Clock clock;

  public DeltaModelRegistry(Warehouse warehouse, Clock clock) {
    this.warehouse = warehouse;
    this.clock = clock;
  }

  /** {@code <warehouse root>/models/<model>/runs/<run id>}. */
  @Override
  public String artifactFolder(String model, String runId) {
    return warehouse.config().warehouse().uri().replaceAll("/+$", "") + "/models/" + model + "/runs/" + runId;
  }

  @Override
  public ModelVersion register(ModelVersion candidate, JobRun run) {
    for (int attempt = 0; ; attempt++) {
      int next = versions(candidate.model()).stream().mapToInt(ModelVersion::version).max().orElse(0) + 1;
      ModelVersion v = candidate.numbered(next).withStage(Stage.NONE);
      Dataset<Row> row = warehouse.spark().createDataFrame(List.of(RegistryTables.row(v)), RegistryTables.VERSION_SCHEMA);
      try {
        if (!warehouse.exists(VERSIONS)) {
          warehouse.write(row, VERSIONS).commitInfo(info(run, "register", v.id())).commit();
        } else {
          addMissingColumns(run);
          Dataset<Row> source = row;
          warehouse.withCommitInfo(info(run, "register", v.id()), session -> versionsTable(session).as("t")
              .merge(source.as("s"), "t.model = s.model AND t.version = s.version").whenNotMatched().insertAll().execute());
        }
      } catch (ConcurrentModificationException e) {
        if (attempt >= 5) {
          throw TrainingErrors.registrationContended(candidate.model(), e);
        }
        continue;
      }
      ModelVersion written = version(v.model(), next);
      if (!written.runId().equals(v.runId())) {
        continue; // another run took this number first
      }
      log(new ModelEvent(v.model(), next, "register", null, Stage.NONE.label(), v.createdBy(), "trained by run " + v.runId(),
          clock.instant(), run == null ? null : run.runId()));
      describeModel(written, run);
      if (run != null) {
        run.output(warehouse.current(VERSIONS));
      }
      return written;
    }
  }

  /**
   * Adds the columns of {@link RegistryTables#VERSION_SCHEMA} that the versions table lacks (a
   * MERGE's insert would drop their values without a word).
   */
  private void addMissingColumns(JobRun run) {
    List<String> present = List.of(warehouse.read(VERSIONS).columns());
    if (!present.contains(RegistryTables.SPEC_RESOLVED)) {
      warehouse.withCommitInfo(info(run, "schema", "add " + RegistryTables.SPEC_RESOLVED), session -> session.sql(
          "ALTER TABLE " + Identifiers.quote("delta", warehouse.location(VERSIONS)) + " ADD COLUMNS ("
              + RegistryTables.SPEC_RESOLVED + " STRING)"));
    }
    addMapColumnIfMissing(present, RegistryTables.FEATURE_IMPORTANCES, run);
    addMapColumnIfMissing(present, RegistryTables.COEFFICIENTS, run);
  }

  /** Adds the {@code map<string,double>} column {@code name} to the versions table unless {@code present} has it. */
  private void addMapColumnIfMissing(List<String> present, String name, JobRun run) {
    if (!present.contains(name)) {
      warehouse.withCommitInfo(info(run, "schema", "add " + name), session -> session.sql("ALTER TABLE "
          + Identifiers.quote("delta", warehouse.location(VERSIONS)) + " ADD COLUMNS (" + Identifiers.quote(name)
          + " MAP<STRING, DOUBLE>)"));
    }
  }

  /** Upserts the model's row of {@code ml.registered_models}: its description and owner as the latest spec says. */
  private void describeModel(ModelVersion v, JobRun run) {
    String description = "";
    String owner = "";
    try {
      var spec = new dev.mlops.training.spec.ModelSpecLoader(System::getenv).recorded(v.spec()).spec();
      description = spec.description();
      owner = spec.owner();
    } catch (RuntimeException e) {
      // a spec recorded by hand or by an older version: the row says less
    }
    Row row = RowFactory.create(v.model(), description, owner, v.version(), v.spec().file(), Timestamp.from(clock.instant()));
    warehouse.upsert(warehouse.spark().createDataFrame(List.of(row), RegistryTables.MODEL_SCHEMA), RegistryTables.MODELS,
        List.of("model"), info(run, "register", v.id()));
  }

  @Override
  public List<String> models() {
    if (!warehouse.exists(VERSIONS)) {
      return List.of();
    }
    return warehouse.read(VERSIONS).select("model").distinct().orderBy("model").collectAsList().stream()
        .map(r -> r.getString(0)).toList();
  }

  @Override
  public List<ModelVersion> versions(String model) {
    if (!warehouse.exists(VERSIONS)) {
      return List.of();
    }
    return warehouse.read(VERSIONS).where(org.apache.spark.sql.functions.col("model").equalTo(model)).orderBy("version")
        .collectAsList().stream().map(RegistryTables::version).toList();
  }

  @Override
  public ModelVersion version(String model, int version) {
    List<ModelVersion> all = versions(model);
    return all.stream().filter(v -> v.version() == version).findFirst().orElseThrow(() -> all.isEmpty()
        ? TrainingErrors.modelNotRegistered(model, models())
        : TrainingErrors.versionNotFound(model, version, versionsText(model)));
  }

  @Override
  public Optional<ModelVersion> inStage(String model, Stage stage) {
    return versions(model).stream().filter(v -> v.stage() == stage).max(Comparator.comparingInt(ModelVersion::version));
  }

  @Override
  public ModelVersion resolve(String reference) {
    Matcher m = REFERENCE.matcher(reference.strip());
    if (!m.matches()) {
      throw TrainingErrors.badModelReference(reference);
    }
    String model = m.group(1);
    if (m.group(3) != null) {
      Integer v = aliases(model).get(m.group(3));
      if (v == null) {
        throw TrainingErrors.aliasNotFound(reference, model, m.group(3), aliases(model).keySet());
      }
      return version(model, v);
    }
    String what = m.group(2);
    if (what.matches("\\d+")) {
      return version(model, Integer.parseInt(what));
    }
    Stage stage = Stage.parse(what);
    return inStage(model, stage).orElseThrow(() -> TrainingErrors.noVersionInStage(reference, model, stage,
        versionsText(model)));
  }

  @Override
  public ModelVersion transition(String model, int version, Stage to, String approver, String reason, JobRun run) {
    ModelVersion target = version(model, version);
    Optional<ModelVersion> production = inStage(model, Stage.PRODUCTION);
    if (target.stage() == to) {
      throw TrainingErrors.alreadyInStage(target.id(), to);
    }
    if (to == Stage.PRODUCTION) {
      if (!target.gatePassed()) {
        refuse(target, to, approver, reason, "its gate failed", run);
        throw TrainingErrors.gateFailed(target.id(), gateSummary(target));
      }
      if (blank(approver) || blank(reason)) {
        throw TrainingErrors.promotionUnapproved(target.id());
      }
    }
    String actor = blank(approver) ? "unknown" : approver;
    int expected = production.map(ModelVersion::version).orElse(-1);
    if (to == Stage.PRODUCTION) {
      int gated = gatedAgainst(target);
      if (gated != expected) {
        String why = "its gate compared it with " + (gated < 0 ? "no Production version" : "Production v" + gated)
            + ", but Production is now " + production.map(ModelVersion::id).orElse("none");
        refuse(target, to, actor, reason, why, run);
        throw TrainingErrors.gatedAgainstOldProduction(target.id(), why);
      }
    }
    guardedMerge(target, to, expected, actor, reason, "transition", run);
    List<ModelEvent> events = new ArrayList<>();
    if (to == Stage.PRODUCTION) {
      events.add(new ModelEvent(model, version, "approve", null, null, actor, reason, clock.instant(), runId(run)));
      production.ifPresent(p -> events.add(new ModelEvent(model, p.version(), "transition", Stage.PRODUCTION.label(),
          Stage.ARCHIVED.label(), actor, "replaced by v" + version, clock.instant(), runId(run))));
    }
    events.add(new ModelEvent(model, version, "transition", target.stage().label(), to.label(), actor, reason, clock.instant(),
        runId(run)));
    log(events.toArray(ModelEvent[]::new));
    return version(model, version);
  }

  @Override
  public ModelVersion rollback(String model, String actor, String reason, JobRun run) {
    ModelVersion current = inStage(model, Stage.PRODUCTION).orElseThrow(() -> TrainingErrors.nothingInProduction(model,
        versionsText(model)));
    Integer previous = previousProduction(model).orElse(null);
    if (previous == null) {
      throw TrainingErrors.nothingToRestore(model, current.id(), current.version());
    }
    ModelVersion restore = version(model, previous);
    String by = blank(actor) ? "unknown" : actor;
    guardedMerge(restore, Stage.PRODUCTION, current.version(), by, reason, "rollback", run);
    log(new ModelEvent(model, current.version(), "rollback", Stage.PRODUCTION.label(), Stage.ARCHIVED.label(), by,
            reason, clock.instant(), runId(run)),
        new ModelEvent(model, restore.version(), "rollback", restore.stage().label(), Stage.PRODUCTION.label(), by, reason,
            clock.instant(), runId(run)));
    return version(model, previous);
  }

  /**
   * Moves {@code target} to {@code to} in one MERGE; for Production, the version in Production
   * (which must be {@code expectedProduction}, -1 for none) goes to Archived in the same commit.
   */
  private void guardedMerge(ModelVersion target, Stage to, int expectedProduction, String actor, String reason,
      String event, JobRun run) {
    StructType schema = new StructType().add("model", DataTypes.StringType).add("version", DataTypes.IntegerType)
        .add("from_stage", DataTypes.StringType).add("to_stage", DataTypes.StringType)
        .add("expected", DataTypes.IntegerType);
    Dataset<Row> source = warehouse.spark().createDataFrame(List.of(RowFactory.create(target.model(), target.version(),
        target.stage().label(), to.label(), expectedProduction)), schema);
    String fail = "raise_error(concat('" + CHANGED + " ', t.model, ' v', t.version, ' is ', t.stage))";
    String condition = to == Stage.PRODUCTION
        ? "t.model = s.model AND (t.version = s.version OR t.stage = 'Production')"
        : "t.model = s.model AND t.version = s.version";
    // Only a Production version other than the expected one fails the commit. Delta may evaluate
    // this on rows it does not update (no source row) and on rows it already updated (a second
    // run of the command): those keep their stage and must not fail.
    String stage = "CASE"
        + " WHEN s.version IS NULL THEN t.stage"
        + " WHEN t.version = s.version THEN s.to_stage"
        + " WHEN t.version = s.expected THEN 'Archived'"
        + " WHEN t.stage = 'Production' THEN " + fail
        + " ELSE t.stage END";
    Map<String, String> info = info(run, event, target.id() + " " + target.stage() + " -> " + to);
    try {
      warehouse.withCommitInfo(info, session -> versionsTable(session).as("t").merge(source.as("s"), condition).whenMatched()
          .updateExpr(Map.of("stage", stage)).execute());
    } catch (RuntimeException e) {
      if (!(e instanceof ConcurrentModificationException) && !mentions(e, CHANGED)) {
        throw e;
      }
      // Delta may run the command a second time after it committed; that run then sees the new
      // state. When the version is where this change put it, the change is done.
      ModelVersion after = version(target.model(), target.version());
      if (after.stage() == to && runIdOf(after).equals(target.runId()) && (to != Stage.PRODUCTION || versions(target.model())
          .stream().filter(v -> v.stage() == Stage.PRODUCTION).count() == 1) && committedBy(info)) {
        if (run != null) {
          run.output(warehouse.current(VERSIONS));
        }
        return;
      }
      String now = inStage(target.model(), Stage.PRODUCTION).map(ModelVersion::id).orElse("none");
      String why = "another change to the registry committed first (Production is now " + now + ")";
      refuse(target, to, actor, reason, why, run);
      throw TrainingErrors.transitionConflict(target.id(), to, why, target.model(), e);
    }
    if (run != null) {
      run.output(warehouse.current(VERSIONS));
    }
  }

  private void refuse(ModelVersion target, Stage to, String actor, String reason, String why, JobRun run) {
    log(new ModelEvent(target.model(), target.version(), "transition_refused", target.stage().label(), to.label(),
        blank(actor) ? "unknown" : actor, (blank(reason) ? "" : reason + "; ") + "refused: " + why, clock.instant(), runId(run)));
  }

  @Override
  public void reject(String model, int version, String actor, String reason, JobRun run) {
    ModelVersion v = version(model, version);
    if (blank(actor) || blank(reason)) {
      throw TrainingErrors.rejectionUnexplained(v.id());
    }
    log(new ModelEvent(model, version, "reject", null, null, actor, reason, clock.instant(), runId(run)));
  }

  @Override
  public void setAlias(String model, String alias, int version, String actor, JobRun run) {
    if (!ALIAS.matcher(alias).matches() || List.of("none", "staging", "production", "archived").contains(alias)) {
      throw TrainingErrors.badAlias(alias, model);
    }
    ModelVersion v = version(model, version);
    Row row = RowFactory.create(model, alias, version, blank(actor) ? "unknown" : actor, Timestamp.from(clock.instant()));
    warehouse.upsert(warehouse.spark().createDataFrame(List.of(row), RegistryTables.ALIAS_SCHEMA), ALIASES,
        List.of("model", "alias"), info(run, "alias", model + "@" + alias + " -> v" + version));
    log(new ModelEvent(model, v.version(), "alias", null, null, blank(actor) ? "unknown" : actor, "@" + alias, clock.instant(),
        runId(run)));
  }

  @Override
  public void deleteAlias(String model, String alias, String actor, JobRun run) {
    Integer v = aliases(model).get(alias);
    if (v == null) {
      throw TrainingErrors.aliasNotDeletable(alias, model, aliases(model).keySet());
    }
    warehouse.withCommitInfo(info(run, "alias_deleted", model + "@" + alias), session -> DeltaTable.forPath(session,
        warehouse.location(ALIASES)).delete("model = '" + model + "' AND alias = '" + alias + "'"));
    log(new ModelEvent(model, v, "alias_deleted", null, null, blank(actor) ? "unknown" : actor, "@" + alias, clock.instant(),
        runId(run)));
  }

  @Override
  public Map<String, Integer> aliases(String model) {
    Map<String, Integer> out = new TreeMap<>();
    if (!warehouse.exists(ALIASES)) {
      return out;
    }
    for (Row r : warehouse.read(ALIASES).where(org.apache.spark.sql.functions.col("model").equalTo(model)).collectAsList()) {
      out.put(r.getAs("alias"), r.<Integer>getAs("version"));
    }
    return out;
  }

  @Override
  public List<dev.mlops.features.TablePin> activePins() {
    List<dev.mlops.features.TablePin> pins = new ArrayList<>();
    if (!warehouse.exists(VERSIONS)) {
      return pins;
    }
    for (Row r : warehouse.read(VERSIONS).where("stage <> 'Archived'").collectAsList()) {
      ModelVersion v = RegistryTables.version(r);
      String holder = "model " + v.model() + " v" + v.version();
      v.featurePins().forEach(p -> pins.add(new dev.mlops.features.TablePin(holder, p.table())));
      pins.add(new dev.mlops.features.TablePin(holder, v.trainingSet()));
      v.sourceTables().forEach(t -> pins.add(new dev.mlops.features.TablePin(holder, t)));
    }
    return pins;
  }

  @Override
  public List<ModelEvent> events(String model) {
    if (!warehouse.exists(EVENTS)) {
      return List.of();
    }
    return warehouse.read(EVENTS).where(org.apache.spark.sql.functions.col("model").equalTo(model)).collectAsList().stream()
        .map(RegistryTables::event).sorted(Comparator.comparing(ModelEvent::at)).toList();
  }

  /** Appends {@code events} in order: their times are stamped a microsecond apart so that the log sorts as written. */
  private void log(ModelEvent... events) {
    java.time.Instant now = clock.instant();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < events.length; i++) {
      ModelEvent e = events[i];
      rows.add(RegistryTables.row(new ModelEvent(e.model(), e.version(), e.event(), e.fromStage(), e.toStage(), e.actor(),
          e.reason(), now.truncatedTo(java.time.temporal.ChronoUnit.MICROS).plusNanos(1000L * i), e.runId())));
    }
    Map<String, String> info = new LinkedHashMap<>();
    info.put("events", Json.write(java.util.Arrays.stream(events).map(e -> e.event() + " " + e.model() + " v" + e.version())
        .toList()));
    warehouse.write(warehouse.spark().createDataFrame(rows, RegistryTables.EVENT_SCHEMA).coalesce(1), EVENTS).appending()
        .commitInfo(info).commit();
  }

  /** The versions table, on {@code session}: the session a change's commit metadata is set on. */
  private DeltaTable versionsTable(org.apache.spark.sql.SparkSession session) {
    return DeltaTable.forPath(session, warehouse.location(VERSIONS));
  }

  private static Map<String, String> info(JobRun run, String event, String what) {
    Map<String, String> info = new LinkedHashMap<>(run == null ? Map.of() : run.commitInfo());
    info.put("registry_event", event);
    info.put("subject", what);
    return info;
  }

  /** The Production version the version's gate compared it with, or -1 when there was none. */
  private static int gatedAgainst(ModelVersion v) {
    try {
      com.fasterxml.jackson.databind.JsonNode champion = Json.mapper().readTree(v.gate())
          .path(dev.mlops.training.gate.GateVerdict.CHAMPION_VERSION);
      return champion.isInt() ? champion.intValue() : -1;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return -1;
    }
  }

  private static String gateSummary(ModelVersion v) {
    try {
      com.fasterxml.jackson.databind.JsonNode gate = Json.mapper().readTree(v.gate());
      List<String> failed = new ArrayList<>();
      for (com.fasterxml.jackson.databind.JsonNode c : gate.path("checks")) {
        if (!c.path("passed").asBoolean()) {
          failed.add(c.path("message").asText());
        }
      }
      return failed.isEmpty() ? "no failed check recorded" : String.join("; ", failed);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return "verdict unreadable";
    }
  }

  private static String runIdOf(ModelVersion v) {
    return v.runId();
  }

  /** Whether the latest commit of the versions table carries {@code info}: this change's own commit. */
  private boolean committedBy(Map<String, String> info) {
    Row last = DeltaTable.forPath(warehouse.spark(), warehouse.location(VERSIONS)).history(1)
        .selectExpr("coalesce(userMetadata, '')").first();
    return last.getString(0).equals(Json.write(info));
  }

  private static boolean mentions(Throwable e, String marker) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConcurrentModificationException || (t.getMessage() != null && t.getMessage().contains(marker))) {
        return true;
      }
    }
    return false;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static String runId(JobRun run) {
    return run == null ? null : run.runId();
  }
}
