package dev.mlops.monitoring.rollback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mlops.core.runs.JobRun;
import dev.mlops.core.runs.RunRecorder;
import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.TableVersion;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.monitoring.alerts.AlertSink;
import dev.mlops.monitoring.alerts.TableAlertSink;
import dev.mlops.monitoring.performance.PartitionPerformance;
import dev.mlops.monitoring.performance.PerformancePoint;
import dev.mlops.monitoring.performance.PerformanceReport;
import dev.mlops.monitoring.performance.PerformanceStatus;
import dev.mlops.monitoring.performance.PerformanceTable;
import dev.mlops.testkit.TestPlatform;
import dev.mlops.training.registry.DeltaModelRegistry;
import dev.mlops.training.registry.ModelEvent;
import dev.mlops.training.registry.ModelVersion;
import dev.mlops.training.registry.Stage;
import dev.mlops.training.spec.ModelSpecLoader;
import dev.mlops.training.spec.ModelSpecLoader.LoadedSpec;
import dev.mlops.training.spec.RecordedSpec;
import dev.mlops.training.spec.RollbackSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rollback policy on a planted degradation: v2 in Production (v1 before it), its matured ROC
 * AUC 0.80, then 0.60, 0.65, 0.50 on three consecutive days, then a pending day. The policy's
 * bound is 0.70 on 3 days. The performance figures are given as a report, as the monitor makes
 * them; the registry, alerts and decisions are the real Delta tables.
 */
class AutoRollbackTest {
  static final String FILE = "conf/models/roll.yaml";
  static final String SPEC = """
      name: roll
      feature-service: {name: svc, version: 1}
      spine: {table: raw.roll, keys: [id], event-time: ts, label: y}
      split: {fractions: {train: 0.6, validation: 0.2, test: 0.2}}
      algorithm: {type: gbt}
      monitoring:
        labels: {table: raw.roll_labels, keys: [id], label: y, arrived-at: at}
        label-delay: 10d
        metric: roc_auc
      """;
  static final Instant AS_OF = Instant.parse("2026-11-20T00:00:00Z");

  @TempDir static Path dir;
  static Warehouse warehouse;
  static DeltaModelRegistry registry;
  static RunRecorder runs;
  static List<AlertSink> sinks;

  @BeforeAll
  static void twoVersionsOneAfterTheOtherInProduction() {
    TestPlatform platform = TestPlatform.create(dir);
    warehouse = Warehouse.of(platform.spark(), platform.config());
    runs = platform.runs(warehouse, Clock.systemUTC());
    registry = new DeltaModelRegistry(warehouse, Clock.systemUTC());
    sinks = List.of(new TableAlertSink(warehouse, Clock.fixed(AS_OF, ZoneOffset.UTC)));
    // One recorded run for the four registry changes: the policy reads the registry, not the runs.
    run(r -> {
      for (int champion = 0; champion <= 1; champion++) {
        ModelVersion registered = registry.register(version("roll", champion), r);
        registry.transition("roll", registered.version(), Stage.PRODUCTION, "ann", "test", r);
      }
      return null;
    });
  }

  static ModelVersion version(String model, int champion) {
    return ModelVersion.builder().model(model).runId("r" + champion).createdBy("tester")
        .createdAt(Instant.parse("2026-10-30T00:00:00Z")).algorithm("gbt").seed(42L).threshold(0.5)
        .metrics(Map.of("roc_auc", champion == 0 ? 0.85 : 0.86)).evaluation("{}")
        .gate(true, "{\"passed\":true,\"champion_version\":" + (champion == 0 ? "null" : champion) + ",\"checks\":[]}")
        .trainingSet(new TableVersion(TableName.parse("ml.training_roll"), 0)).featureService("svc", 1)
        .featureColumns(List.of("amount")).spec(new RecordedSpec(FILE, SPEC, SPEC, "0".repeat(64)))
        .versions("test", "4").artifact("/tmp/roll").build();
  }

  static <T> T run(Function<JobRun, T> body) {
    return runs.run("test", List.of(), body);
  }

  static LoadedSpec spec(String rollback) {
    return new ModelSpecLoader(k -> null).parse(SPEC + rollback, FILE);
  }

  /** v2's days: 0.80 OK, then 0.60, 0.65, 0.50 matured, then a pending day. */
  static PerformanceReport plantedDegradation() {
    return report("roll", List.of(day("2026-11-01", 0.80, true), day("2026-11-02", 0.60, true),
        day("2026-11-03", 0.65, true), day("2026-11-04", 0.50, true), day("2026-11-05", 0.55, false)));
  }

  static PerformanceReport report(String model, List<PartitionPerformance> days) {
    return new PerformanceReport(model, "roc_auc", 0.1, Duration.ofDays(10), "unknown", AS_OF,
        new TableVersion(TableName.parse("predictions." + model), 3), days.stream().map(PartitionPerformance::partition)
        .toList(), days, List.of(), List.of(), AS_OF);
  }

  static PartitionPerformance day(String day, double value, boolean matured) {
    return new PartitionPerformance(day, 2, "*", "*", 100, 100, 10, matured, "roc_auc", value, 0.86,
        matured ? (value < 0.76 ? PerformanceStatus.DEGRADED : PerformanceStatus.OK) : PerformanceStatus.PENDING);
  }

  static RollbackDecision apply(LoadedSpec spec) {
    return run(r -> new AutoRollback(warehouse, registry, sinks, Clock.fixed(AS_OF, ZoneOffset.UTC))
        .apply(spec, plantedDegradation(), r));
  }

  static List<ModelEvent> rollbacks() {
    return registry.events("roll").stream().filter(e -> e.event().equals("rollback")).toList();
  }

  @Test
  void aPlantedDegradationRollsBackExactlyOnceAuditedAndAReRunDoesNotAgain() {
    // No policy: nothing is delivered or recorded, so no run (and no commit) is needed.
    assertThat(new AutoRollback(warehouse, registry, sinks, Clock.fixed(AS_OF, ZoneOffset.UTC))
        .apply(spec(""), plantedDegradation(), null).action()).as("no policy: the performance alerts only").isEqualTo("none");

    RollbackDecision dry = apply(spec("  rollback: {min-value: 0.7, partitions: 3, mode: dry-run}\n"));
    assertThat(dry.action()).isEqualTo("dry_run");
    assertThat(dry.alerts()).extracting(a -> a.partition()).containsExactly("2026-11-02", "2026-11-03", "2026-11-04");
    assertThat(registry.inStage("roll", Stage.PRODUCTION).orElseThrow().version()).as("a dry run rolls nothing back")
        .isEqualTo(2);
    assertThat(apply(spec("  rollback: {min-value: 0.7, partitions: 3, mode: dry-run}\n")).action())
        .as("the same alerts, again").isEqualTo("already_decided");

    LoadedSpec act = spec("  rollback: {min-value: 0.7, partitions: 3}\n");
    RollbackDecision done = apply(act);
    assertThat(done.action()).isEqualTo("rolled_back");
    assertThat(List.of(done.fromVersion(), done.toVersion())).containsExactly(2, 1);
    assertThat(registry.inStage("roll", Stage.PRODUCTION).orElseThrow().version()).isEqualTo(1);
    assertThat(rollbacks()).as("one rollback: v2 out, v1 in").hasSize(2).allSatisfy(e -> {
      assertThat(e.actor()).isEqualTo("policy:auto-rollback");
      assertThat(e.reason()).startsWith("monitoring.rollback in conf/models/roll.yaml: roc_auc of v2 past 0.7000 on 3"
          + " consecutive matured days (2026-11-02 0.6000, 2026-11-03 0.6500, 2026-11-04 0.5000); alerts: ")
          .contains(done.alertIds());
    });
    assertThat(warehouse.read(TableAlertSink.ALERTS).where("`column` = 'rollback:v2' AND subject = 'model roll'").count())
        .as("the policy's alerts, once each (the dry run raised the same)").isEqualTo(3);

    RollbackDecision again = apply(act);
    assertThat(again.action()).as("a re-run: the breaching days are v2's, no longer in Production").isEqualTo("none");
    assertThat(rollbacks()).as("still one rollback").hasSize(2);
    assertThat(warehouse.read(RollbackTable.TABLE).where("model = 'roll'").selectExpr("action")
        .as(org.apache.spark.sql.Encoders.STRING())
        .collectAsList()).containsExactlyInAnyOrder("dry_run", "rolled_back");
  }

  /** Nightly, each run measures the one day that matured; the policy counts the days earlier runs measured. */
  @Test
  void daysThatEarlierRunsMeasuredMaturedCountTowardsTheConsecutiveDays() {
    run(r -> {
      for (int champion = 0; champion <= 1; champion++) {
        ModelVersion registered = registry.register(version("nightly", champion), r);
        registry.transition("nightly", registered.version(), Stage.PRODUCTION, "ann", "test", r);
      }
      return null;
    });
    LoadedSpec nightly = new ModelSpecLoader(k -> null).parse(SPEC.replace("name: roll\n", "name: nightly\n")
        + "  rollback: {min-value: 0.7, partitions: 3, mode: dry-run}\n", FILE);
    PerformanceTable table = new PerformanceTable(warehouse);
    List<RollbackDecision> nights = new ArrayList<>();
    for (PartitionPerformance day : List.of(day("2026-11-02", 0.60, true), day("2026-11-03", 0.65, true),
        day("2026-11-04", 0.50, true))) {
      PerformanceReport night = report("nightly", List.of(day));
      nights.add(run(r -> {
        table.write(night, r);
        return new AutoRollback(warehouse, registry, sinks, Clock.fixed(AS_OF, ZoneOffset.UTC)).apply(nightly, night, r);
      }));
    }
    assertThat(nights).extracting(RollbackDecision::action).containsExactly("none", "none", "dry_run");
    assertThat(nights.get(2).alerts()).extracting(a -> a.partition())
        .containsExactly("2026-11-02", "2026-11-03", "2026-11-04");
  }

  @Test
  void theBoundIsTheTighterOfTheMinimumAndThePreviousFigureLessTheMarginAndAGapEndsARun() {
    RollbackSpec both = new RollbackSpec(0.7, 0.05, 2, null);
    assertThat(AutoRollback.bound(both, "roc_auc", 0.85)).as("max(0.7, 0.85 - 0.05)").isCloseTo(0.8, within(1e-12));
    assertThat(AutoRollback.bound(both, "roc_auc", null)).as("no previous version").isEqualTo(0.7);
    assertThat(AutoRollback.bound(both, "log_loss", 0.3)).as("log_loss: min(0.7, 0.3 + 0.05)").isCloseTo(0.35, within(1e-12));
    assertThat(AutoRollback.bound(new RollbackSpec(null, 0.05, 2, null), "roc_auc", null)).isNaN();

    List<PartitionPerformance> gap = List.of(day("2026-11-01", 0.5, true), day("2026-11-03", 0.5, true),
        day("2026-11-04", 0.9, true), day("2026-11-05", 0.5, true), day("2026-11-06", 0.5, false));
    assertThat(AutoRollback.breachRun(AutoRollback.maturedOf(gap, 2), "roc_auc", 0.7, 2))
        .as("a gap, a good day and a pending day end runs").isEmpty();
    assertThat(AutoRollback.breachRun(AutoRollback.maturedOf(gap.subList(0, 2), 2), "roc_auc", 0.7, 1))
        .extracting(PerformancePoint::partition).containsExactly("2026-11-01");
    assertThat(AutoRollback.maturedOf(gap, 1)).as("another version's days").isEmpty();
    assertThat(AutoRollback.maturedOf(gap, 2)).extracting(PerformancePoint::partition).as("the pending day left out")
        .containsExactly("2026-11-01", "2026-11-03", "2026-11-04", "2026-11-05");
    assertThatThrownBy(() -> new RollbackSpec(null, null, 3, "act")).hasMessageContaining("give min-value,"
        + " margin-below-previous or both");
    assertThatThrownBy(() -> spec("  rollback: {min-value: 0.7, mode: maybe}\n"))
        .hasMessage(FILE + ": monitoring.rollback.mode: expected act or dry-run, got \"maybe\"");
  }
}
