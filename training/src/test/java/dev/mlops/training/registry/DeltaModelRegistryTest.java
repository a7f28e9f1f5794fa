package dev.mlops.training.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.PlatformException;
import dev.mlops.core.runs.JobRun;
import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.TableVersion;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.features.pit.ViewPin;
import dev.mlops.testkit.TestPlatform;
import dev.mlops.training.explain.GlobalExplanation;
import dev.mlops.training.spec.RecordedSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry on real Delta tables: numbering, stage rules, racing promotions, rollback, aliases, SQL lineage. */
class DeltaModelRegistryTest {
  @TempDir static Path dir;
  static TestPlatform platform;
  static Warehouse warehouse;
  static DeltaModelRegistry registry;

  @BeforeAll
  static void setUp() {
    platform = TestPlatform.create(dir);
    warehouse = Warehouse.of(platform.spark(), platform.config());
    registry = new DeltaModelRegistry(warehouse, Clock.systemUTC());
  }

  static ModelVersion candidate(String model, boolean gatePassed, String runId) {
    return candidate(model, gatePassed, runId, -1);
  }

  /** A version whose gate compared it with Production version {@code champion} (-1: none). */
  static ModelVersion candidate(String model, boolean gatePassed, String runId, int champion) {
    return ModelVersion.builder().model(model).runId(runId).createdBy("tester").createdAt(Instant.parse("2026-11-30T00:00:00Z"))
        .algorithm("gbt").params(Map.of("maxDepth", "3")).seed(42L).threshold(0.5).metrics(Map.of("roc_auc", 0.9))
        .gate(gatePassed, "{\"passed\":" + gatePassed + ",\"champion_version\":" + (champion < 0 ? "null" : champion)
            + ",\"checks\":[{\"name\":\"min roc_auc\",\"passed\":" + gatePassed
            + ",\"message\":\"roc_auc 0.5000 < 0.7000 (minimum 0.7000)\"}]}")
        .trainingSet(new TableVersion(TableName.parse("ml.training_" + model), 3)).featureService("svc", 1)
        .featurePins(List.of(new ViewPin("customer_spend", 1, new TableVersion(TableName.parse("features.customer_spend__v1"), 7))))
        .sourceTables(List.of(new TableVersion(TableName.parse("raw.transactions"), 2))).featureColumns(List.of("a", "b"))
        .spec(new RecordedSpec("models/x.yaml", "name: x", "name: x\n", "0123456789abcdef")).versions("abc", "4.1.0")
        .artifact("/tmp/" + runId).build();
  }

  /** Registry calls outside a recorded run (the registry takes none), so that each costs only its own commits. */
  static <T> T inRun(java.util.function.Function<JobRun, T> body) {
    return body.apply(null);
  }

  @Test
  void versionsAreNumberedFromOneAndKeepTheirLineage() {
    ModelVersion v1 = inRun(run -> registry.register(candidate("numbered", true, "r1"), run));
    ModelVersion v2 = inRun(run -> registry.register(candidate("numbered", false, "r2"), run));
    assertThat(v1.version()).isEqualTo(1);
    assertThat(v2.version()).isEqualTo(2);
    assertThat(registry.version("numbered", 1).featurePins()).as("pins round-trip").containsExactly(new ViewPin("customer_spend",
        1, new TableVersion(TableName.parse("features.customer_spend__v1"), 7)));
    assertThat(registry.version("numbered", 2).stage()).isEqualTo(Stage.NONE);
    assertThat(registry.events("numbered")).extracting(ModelEvent::event).containsExactly("register", "register");
    Row model = platform.spark().sql("SELECT latest_version, spec_file FROM ml.registered_models WHERE model = 'numbered'")
        .first();
    assertThat(model.getInt(0)).isEqualTo(2);
    assertThat(model.getString(1)).isEqualTo("models/x.yaml");
    List<Row> lineage = platform.spark().sql("SELECT p.table_name, p.delta_version FROM ml.model_versions"
        + " LATERAL VIEW explode(feature_pins) x AS p WHERE model = 'numbered' AND version = 1").collectAsList();
    assertThat(lineage).extracting(r -> r.getString(0) + "@" + r.getLong(1)).containsExactly("features.customer_spend__v1@7");
    assertThatThrownBy(() -> registry.version("numbered", 9)).hasMessageContaining("No version 9 of model numbered")
        .hasMessageContaining("(its versions: v1 None, v2 None)");
  }

  @Test
  void aVersionsTableFromBeforeGlobalExplanationsGainsTheirColumnsAndKeepsItsRowsReadable() {
    TestPlatform old = TestPlatform.create(dir.resolve("before-explanations"));
    Warehouse w = Warehouse.of(old.spark(), old.config());
    ModelVersion first = candidate("explained", true, "r1").numbered(1);
    w.write(old.spark().createDataFrame(List.of(RegistryTables.row(first)), RegistryTables.VERSION_SCHEMA)
        .drop(RegistryTables.FEATURE_IMPORTANCES, RegistryTables.COEFFICIENTS), RegistryTables.VERSIONS).commit();
    DeltaModelRegistry before = new DeltaModelRegistry(w, Clock.systemUTC());
    assertThat(before.version("explained", 1).globalExplanation()).isEqualTo(GlobalExplanation.NONE);

    GlobalExplanation importances = new GlobalExplanation(Map.of("a", 0.75, "b", 0.25), Map.of());
    before.register(candidate("explained", true, "r2").toBuilder().globalExplanation(importances).build(), null);
    assertThat(before.version("explained", 2).globalExplanation()).isEqualTo(importances);
    assertThat(before.version("explained", 1).globalExplanation()).as("the old row, null in the new columns")
        .isEqualTo(GlobalExplanation.NONE);
    List<Row> sql = old.spark().sql("SELECT version, feature_importances['a'], coefficients FROM ml.model_versions"
        + " WHERE model = 'explained' ORDER BY version").collectAsList();
    assertThat(sql).extracting(Row::toString).containsExactly("[1,null,null]", "[2,0.75,null]");
  }

  @Test
  void productionNeedsAPassedGateAndAnApproverWithAReason() {
    ModelVersion failed = inRun(run -> registry.register(candidate("rules", false, "r1"), run));
    ModelVersion passed = inRun(run -> registry.register(candidate("rules", true, "r2"), run));
    assertThatThrownBy(() -> inRun(run -> registry.transition("rules", failed.version(), Stage.PRODUCTION, "ann", "ok", run)))
        .isInstanceOf(PlatformException.class).hasMessageContaining("its gate failed")
        .hasMessageContaining("roc_auc 0.5000 < 0.7000");
    assertThatThrownBy(() -> inRun(run -> registry.transition("rules", passed.version(), Stage.PRODUCTION, null, null, run)))
        .hasMessageContaining("--by NAME --reason TEXT");
    TableName versions = TableName.parse("ml.model_versions");
    long before = warehouse.current(versions).version();
    ModelVersion prod = inRun(run -> registry.transition("rules", passed.version(), Stage.PRODUCTION, "ann", "beats v1", run));
    assertThat(prod.stage()).isEqualTo(Stage.PRODUCTION);
    assertThat(warehouse.current(versions).version()).as("one guarded commit per transition").isEqualTo(before + 1);
    assertThat(registry.events("rules")).filteredOn(e -> e.event().equals("approve"))
        .extracting(ModelEvent::actor, ModelEvent::reason).containsExactly(org.assertj.core.groups.Tuple.tuple("ann", "beats v1"));
    assertThat(registry.events("rules")).filteredOn(e -> e.event().equals("transition_refused")).hasSize(1);
  }

  @Test
  void ofRacingPromotionsExactlyOneWinsAndTheAuditLogSaysSo() throws Exception {
    int n = 3;
    for (int round = 0; round < 2; round++) { // no Production yet, then an existing one
      int champion = registry.inStage("race", Stage.PRODUCTION).map(ModelVersion::version).orElse(-1);
      List<Integer> racers = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        racers.add(inRun(run -> registry.register(candidate("race", true, "r", champion), run)).version());
      }
      CountDownLatch start = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(racers.size());
      List<Future<ModelVersion>> results = new ArrayList<>();
      for (int v : racers) {
        Callable<ModelVersion> promote = () -> {
          start.await();
          return inRun(run -> registry.transition("race", v, Stage.PRODUCTION, "racer" + v, "race " + v, run));
        };
        results.add(pool.submit(promote));
      }
      start.countDown();
      List<Integer> winners = new ArrayList<>();
      List<String> errors = new ArrayList<>();
      for (Future<ModelVersion> f : results) {
        try {
          winners.add(f.get().version());
        } catch (java.util.concurrent.ExecutionException e) {
          errors.add(e.getCause().getMessage());
        }
      }
      pool.shutdown();
      assertThat(winners).as("round %d: exactly one promotion wins", round).hasSize(1);
      assertThat(errors).as("the losers are told why").hasSize(racers.size() - 1).allMatch(m ->
          m.contains("another change to the registry committed first") || m.contains("but Production is now race v"
              + winners.get(0)));
      assertThat(registry.versions("race")).filteredOn(v -> v.stage() == Stage.PRODUCTION).extracting(ModelVersion::version)
          .as("one Production version").containsExactly(winners.get(0));
      List<ModelEvent> racing = registry.events("race").stream().filter(e -> racers.contains(e.version())
          && e.actor().equals("racer" + e.version())).toList();
      assertThat(racing.stream().filter(e -> e.event().equals("transition") && "Production".equals(e.toStage()))
          .map(ModelEvent::version).toList()).as("the log shows the winner's transition to Production").containsExactly(winners.get(0));
      assertThat(racing.stream().filter(e -> e.event().equals("transition_refused")).map(ModelEvent::version).toList())
          .as("and each loser's refusal").containsExactlyInAnyOrderElementsOf(racers.stream()
              .filter(v -> !v.equals(winners.get(0))).toList());
    }
  }

  @Test
  void aVerdictAgainstAnotherChampionIsStale() {
    int v1 = inRun(run -> registry.register(candidate("stale", true, "r1"), run)).version();
    int v2 = inRun(run -> registry.register(candidate("stale", true, "r2"), run)).version();
    inRun(run -> registry.transition("stale", v1, Stage.PRODUCTION, "ann", "first", run));
    assertThatThrownBy(() -> inRun(run -> registry.transition("stale", v2, Stage.PRODUCTION, "ann", "second", run)))
        .hasMessage("Cannot promote stale v2 to Production: its gate compared it with no Production version, but Production"
            + " is now stale v1; train again so that the gate compares it with the Production version of now");
    assertThat(registry.inStage("stale", Stage.PRODUCTION).orElseThrow().version()).isEqualTo(v1);
  }

  @Test
  void rollbackRestoresThePreviousProductionAndArchivesTheCurrentOne() {
    for (int i = 0; i < 3; i++) {
      int champion = registry.inStage("roll", Stage.PRODUCTION).map(ModelVersion::version).orElse(-1);
      int number = inRun(run -> registry.register(candidate("roll", true, "r", champion), run)).version();
      inRun(run -> registry.transition("roll", number, Stage.PRODUCTION, "ann", "v" + number + " is better", run));
    }
    assertThat(registry.inStage("roll", Stage.PRODUCTION).orElseThrow().version()).isEqualTo(3);
    assertThat(registry.version("roll", 2).stage()).isEqualTo(Stage.ARCHIVED);
    ModelVersion restored = inRun(run -> registry.rollback("roll", "bob", "v3 misfires", run));
    assertThat(restored.version()).isEqualTo(2);
    assertThat(restored.stage()).isEqualTo(Stage.PRODUCTION);
    assertThat(registry.version("roll", 3).stage()).isEqualTo(Stage.ARCHIVED);
    ModelVersion again = inRun(run -> registry.rollback("roll", "bob", "v2 too", run));
    assertThat(again.version()).as("a second rollback goes one further back").isEqualTo(1);
    assertThat(registry.events("roll")).filteredOn(e -> e.event().equals("rollback")).extracting(ModelEvent::version)
        .containsExactly(3, 2, 2, 1);
  }

  @Test
  void aliasesResolveBesideStagesAndNumbers() {
    inRun(run -> registry.register(candidate("aliased", true, "r1"), run));
    inRun(run -> registry.register(candidate("aliased", true, "r2"), run));
    inRun(run -> registry.transition("aliased", 1, Stage.PRODUCTION, "ann", "first", run));
    inRun(run -> {
      registry.setAlias("aliased", "champion", 1, "ann", run);
      registry.setAlias("aliased", "challenger", 2, "ann", run);
      return null;
    });
    assertThat(registry.resolve("models:/aliased@champion").version()).isEqualTo(1);
    assertThat(registry.resolve("aliased@challenger").version()).isEqualTo(2);
    assertThat(registry.resolve("models:/aliased/Production").version()).isEqualTo(1);
    assertThat(registry.resolve("models:/aliased/2").version()).isEqualTo(2);
    inRun(run -> {
      registry.setAlias("aliased", "champion", 2, "ann", run);
      return null;
    });
    assertThat(registry.resolve("models:/aliased@champion").version()).as("an alias moves").isEqualTo(2);
    assertThatThrownBy(() -> registry.resolve("models:/aliased@nope")).hasMessageContaining("has no alias nope")
        .hasMessageContaining("[challenger, champion]");
    assertThatThrownBy(() -> registry.resolve("models:/aliased/Staging")).hasMessageContaining("no version in Staging");
    assertThatThrownBy(() -> inRun(run -> {
      registry.setAlias("aliased", "Production", 1, "ann", run);
      return null;
    })).hasMessageContaining("not a stage name");
  }
}
