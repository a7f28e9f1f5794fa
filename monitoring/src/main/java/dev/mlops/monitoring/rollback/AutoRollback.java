package dev.mlops.monitoring.rollback;

import dev.mlops.core.runs.JobRun;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.monitoring.alerts.Alert;
import dev.mlops.monitoring.alerts.AlertSink;
import dev.mlops.monitoring.performance.PartitionPerformance;
import dev.mlops.monitoring.performance.PerformancePoint;
import dev.mlops.monitoring.performance.PerformanceReport;
import dev.mlops.monitoring.performance.PerformanceTable;
import dev.mlops.training.evaluation.BinaryMetrics;
import dev.mlops.training.registry.ModelRegistry;
import dev.mlops.training.registry.ModelVersion;
import dev.mlops.training.registry.Stage;
import dev.mlops.training.spec.ModelSpecLoader.LoadedSpec;
import dev.mlops.training.spec.RollbackSpec;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The spec's {@code monitoring.rollback} policy, applied after a performance run: when the
 * Production version's matured metric breaches the bound on {@code partitions} consecutive days
 * (those of the run and those earlier runs measured matured, in {@code monitoring.performance}:
 * a nightly run measures one newly matured day), raise an alert per breaching day and roll back to the previous Production version,
 * recorded in the registry as by {@value RollbackDecision#ACTOR} with the alert ids as the reason
 * (with {@code mode: dry-run}, recorded in {@code monitoring.rollbacks} only). The same alerts
 * never lead to a second decision: each decision is kept under a hash of the model, the mode and
 * its alert ids, and after a rollback the breaching days belong to a version no longer in
 * Production. Without a policy, nothing beyond the performance alerts happens.
 *
 * <p>Not thread-safe (one per run).
 */
public final class AutoRollback {
  private final ModelRegistry registry;
  private final List<AlertSink> sinks;
  private final RollbackTable table;
  private final PerformanceTable performance;
  private final Clock clock;

  /** @param sinks where the policy's alerts go, as the performance alerts */
  public AutoRollback(Warehouse warehouse, ModelRegistry registry, List<AlertSink> sinks, Clock clock) {
    this.registry = registry;
    this.sinks = List.copyOf(sinks);
    this.table = new RollbackTable(warehouse);
    this.performance = new PerformanceTable(warehouse);
    this.clock = clock;
  }

  /** Applies {@code spec}'s policy to {@code report}, the performance run just made for its model. */
  public RollbackDecision apply(LoadedSpec spec, PerformanceReport report, JobRun run) {
    String model = spec.spec().name();
    RollbackSpec policy = spec.spec().monitoring() == null ? null : spec.spec().monitoring().rollback();
    if (policy == null) {
      return RollbackDecision.none(model, -1, "no monitoring.rollback policy in " + spec.file() + ": alerts only");
    }
    Optional<ModelVersion> production = registry.inStage(model, Stage.PRODUCTION);
    if (production.isEmpty()) {
      return RollbackDecision.none(model, -1, model + " has no version in Production");
    }
    int from = production.get().version();
    Optional<Integer> previous = registry.previousProduction(model);
    String metric = report.metric();
    double bound = bound(policy, metric, previous.map(v -> registry.version(model, v).metrics().get(metric)).orElse(null));
    if (Double.isNaN(bound)) {
      return RollbackDecision.none(model, from, "margin-below-previous needs a previous Production version with a test "
          + metric + "; " + model + " v" + from + " has none");
    }
    List<PerformancePoint> breach = breachRun(maturedDays(model, from, report), metric, bound, policy.partitions());
    if (breach.isEmpty()) {
      return RollbackDecision.none(model, from, "no " + policy.partitions() + " consecutive matured days of v" + from
          + " past the bound " + fmt(bound));
    }
    List<Alert> alerts = alerts(spec, from, breach, bound, policy);
    AlertSink.deliverAll(sinks, alerts, run);
    return decide(spec, policy, from, previous, alerts, bound, run);
  }

  private RollbackDecision decide(LoadedSpec spec, RollbackSpec policy, int from, Optional<Integer> previous,
      List<Alert> alerts, double bound, JobRun run) {
    String model = spec.spec().name();
    List<String> ids = alerts.stream().map(Alert::id).sorted().toList();
    String decisionId = Alert.id(model, policy.mode(), String.join(",", ids));
    if (table.recorded(decisionId)) {
      return new RollbackDecision(model, "already_decided", from, previous.orElse(-1), alerts, "alerts "
          + String.join(", ", ids) + " already led to a decision; nothing done again");
    }
    if (previous.isEmpty()) {
      return new RollbackDecision(model, "none", from, -1, alerts, model + " v" + from + " breached, but no earlier"
          + " Production version is there to roll back to");
    }
    String reason = String.format(Locale.ROOT, "monitoring.rollback in %s: %s of v%d past %s on %d consecutive matured"
        + " days (%s)%s; alerts: %s", spec.file(), alerts.get(0).metric(), from, fmt(bound), alerts.size(),
        String.join(", ", alerts.stream().map(a -> a.partition() + " " + fmt(a.value())).toList()),
        policy.dryRun() ? "; dry run, not rolled back" : "", String.join(", ", alerts.stream().map(Alert::id).toList()));
    if (!policy.dryRun()) {
      registry.rollback(model, RollbackDecision.ACTOR, reason, run);
    }
    RollbackDecision d = new RollbackDecision(model, policy.dryRun() ? "dry_run" : "rolled_back", from, previous.get(),
        alerts, reason);
    table.record(decisionId, d, clock.instant(), run);
    return d;
  }

  /**
   * The bound a day's metric must not cross: the tighter of {@code min-value} and the previous
   * version's figure less the margin (for log_loss: the lower of the maximum and the figure plus
   * the margin); NaN when the policy has only a margin and there is no previous figure.
   */
  static double bound(RollbackSpec policy, String metric, Double previousFigure) {
    boolean higher = BinaryMetrics.higherIsBetter(metric);
    double bound = Double.NaN;
    if (policy.minValue() != null) {
      bound = policy.minValue();
    }
    if (policy.marginBelowPrevious() != null && previousFigure != null) {
      double relative = higher ? previousFigure - policy.marginBelowPrevious() : previousFigure + policy.marginBelowPrevious();
      bound = Double.isNaN(bound) ? relative : higher ? Math.max(bound, relative) : Math.min(bound, relative);
    }
    return bound;
  }

  /**
   * The matured whole days of {@code version}, in day order: those earlier runs measured
   * ({@code monitoring.performance}) and {@code report}'s, which win for a day in both.
   */
  private List<PerformancePoint> maturedDays(String model, int version, PerformanceReport report) {
    Map<String, PerformancePoint> byDay = new TreeMap<>();
    performance.maturedPoints(model, version).forEach(p -> byDay.put(p.partition(), p));
    maturedOf(report.overall(), version).forEach(p -> byDay.put(p.partition(), p));
    return List.copyOf(byDay.values());
  }

  /** The matured days of {@code version} among the whole-day figures {@code overall}. */
  static List<PerformancePoint> maturedOf(List<PartitionPerformance> overall, int version) {
    return overall.stream().filter(p -> p.modelVersion() == version && p.matured()).map(PartitionPerformance::point)
        .toList();
  }

  /**
   * The first run of {@code n} consecutive days of {@code matured} (one version's matured days, in
   * day order) whose defined figure is past {@code bound}; empty when there is none. An undefined
   * or good day, or a gap in the days, ends a run.
   */
  static List<PerformancePoint> breachRun(List<PerformancePoint> matured, String metric, double bound, int n) {
    boolean higher = BinaryMetrics.higherIsBetter(metric);
    List<PerformancePoint> run = new ArrayList<>();
    for (PerformancePoint p : matured) {
      boolean breaches = !Double.isNaN(p.value()) && (higher ? p.value() < bound : p.value() > bound);
      boolean next = !run.isEmpty() && LocalDate.parse(run.get(run.size() - 1).partition()).plusDays(1)
          .equals(LocalDate.parse(p.partition()));
      if (!breaches) {
        run.clear();
        continue;
      }
      if (!next) {
        run.clear();
      }
      run.add(p);
      if (run.size() == n) {
        return List.copyOf(run);
      }
    }
    return List.of();
  }

  private static List<Alert> alerts(LoadedSpec spec, int version, List<PerformancePoint> days, double bound,
      RollbackSpec policy) {
    String subject = "model " + spec.spec().name();
    return days.stream().map(p -> Alert.of(subject, p.partition(), "rollback:v" + version, p.metric(), p.value(), bound,
        Alert.Severity.ALERT, String.format(Locale.ROOT, "%s: %s of v%d on %s is %.4f, past the rollback bound %.4f"
            + " (monitoring.rollback: %d consecutive matured days%s)", subject, p.metric(), version, p.partition(), p.value(),
            bound, policy.partitions(), policy.dryRun() ? ", dry run" : ""))).toList();
  }

  private static String fmt(double d) {
    return String.format(Locale.ROOT, "%.4f", d);
  }
}
