package dev.mlops.monitoring.performance;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;

import dev.mlops.core.runs.JobRun;
import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.TableVersion;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.monitoring.MonitoringErrors;
import dev.mlops.monitoring.alerts.Alert;
import dev.mlops.monitoring.alerts.AlertSink;
import dev.mlops.training.canary.CanaryShares;
import dev.mlops.training.canary.RampStep;
import dev.mlops.training.evaluation.BinaryEvaluator;
import dev.mlops.training.evaluation.BinaryMetrics;
import dev.mlops.training.evaluation.Evaluation;
import dev.mlops.training.evaluation.SliceMetrics;
import dev.mlops.training.spec.ModelSpec;
import dev.mlops.training.spec.ModelSpec.VariantSpec;
import dev.mlops.training.spec.ModelSpecLoader.LoadedSpec;
import java.sql.Date;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A canary's ramp, advanced after performance monitoring: each matured day the ramped variant
 * served at its current step is judged by the spec's guard (its metric on the day's labelled
 * rows against Production's on the same day). It moves one step up when the guard holds, to 0
 * with an alert when it fails, and waits for another day when the variant has too few labelled
 * rows. The new share applies from the day the judged day matured on, or from the first day not
 * scored yet when monitoring runs later than that (a day already scored keeps the share it was
 * scored with), recorded in {@code ml.canary_shares}; at the last step the variant is proposed
 * for promotion (an alert naming the command), which still goes through the gate and its
 * approvals.
 *
 * <p>Not thread-safe (one per run).
 */
public final class CanaryRamp {
  private final Warehouse warehouse;
  private final List<AlertSink> sinks;
  private final Clock clock;

  public CanaryRamp(Warehouse warehouse, List<AlertSink> sinks, Clock clock) {
    this.warehouse = warehouse;
    this.sinks = List.copyOf(sinks);
    this.clock = clock;
  }

  /** Judges the ramped variant's matured days not judged yet, as of {@code asOf}; the steps decided, in order. */
  public List<RampStep> advance(LoadedSpec spec, Instant asOf, JobRun run) {
    ModelSpec s = spec.spec();
    Optional<VariantSpec> ramped = s.scoring() == null || s.scoring().ab() == null ? Optional.empty()
        : s.scoring().ab().variants().stream().filter(VariantSpec::ramped).findFirst();
    if (ramped.isEmpty()) {
      return List.of();
    }
    if (s.monitoring() == null || s.monitoring().labels() == null) {
      throw MonitoringErrors.labelsMissing(spec);
    }
    VariantSpec v = ramped.get();
    CanaryShares shares = new CanaryShares(warehouse);
    List<RampStep> done = shares.steps(s.name(), v.name());
    if (!done.isEmpty() && done.get(done.size() - 1).terminal()) {
      return List.of();
    }
    LocalDate stepStart = done.stream().filter(x -> !x.action().equals("hold")).map(RampStep::effectiveDate)
        .reduce((a, b) -> b).orElse(LocalDate.MIN);
    LocalDate judgedUpTo = done.isEmpty() ? LocalDate.MIN : done.get(done.size() - 1).partition();
    int step = done.stream().filter(x -> !x.action().equals("hold")).map(RampStep::step).reduce((a, b) -> b).orElse(0);
    TableVersion table = warehouse.current(new TableName("predictions", s.name()));
    run.input(table);
    LocalDate firstUnscored = lastScoredDay(table).plusDays(1);
    List<RampStep> out = new ArrayList<>();
    for (LocalDate day : variantDays(table, v, stepStart, judgedUpTo)) {
      if (!PerformanceMonitor.matured(day.toString(), s.monitoring(), asOf)) {
        break;
      }
      RampStep decided = judge(spec, v, table, day, step, asOf, firstUnscored, run);
      shares.record(decided, clock.instant(), run);
      out.add(decided);
      if (!decided.action().equals("hold")) {
        break; // the days after it were served at the old step
      }
    }
    return out;
  }

  /** The days the variant served from {@code stepStart} on and after {@code judgedUpTo}, in order. */
  private List<LocalDate> variantDays(TableVersion table, VariantSpec v, LocalDate stepStart, LocalDate judgedUpTo) {
    LocalDate from = stepStart.isAfter(judgedUpTo) ? stepStart : judgedUpTo.plusDays(1);
    Dataset<Row> days = warehouse.read(table).where(col("role").equalTo("variant:" + v.name()));
    if (!from.equals(LocalDate.MIN) && !from.equals(LocalDate.MIN.plusDays(1))) {
      days = days.where(col(PerformanceMonitor.SCORE_DATE).geq(Date.valueOf(from)));
    }
    return days.select(PerformanceMonitor.SCORE_DATE).distinct().collectAsList().stream()
        .map(r -> r.getDate(0).toLocalDate()).sorted().toList();
  }

  private LocalDate lastScoredDay(TableVersion table) {
    Row last = warehouse.read(table).agg(max(col(PerformanceMonitor.SCORE_DATE))).first();
    return last.isNullAt(0) ? LocalDate.MIN : last.getDate(0).toLocalDate();
  }

  private RampStep judge(LoadedSpec spec, VariantSpec v, TableVersion table, LocalDate day, int step, Instant asOf,
      LocalDate firstUnscored, JobRun run) {
    String role = "variant:" + v.name();
    Dataset<Row> served = warehouse.read(table).where(col(PerformanceMonitor.SCORE_DATE).equalTo(Date.valueOf(day))
        .and(col("role").isin("production", role)));
    Dataset<Row> labelled = LabelledRows.of(warehouse, spec, table.table().toString(), served, List.of(day.toString()),
        asOf, run).where(col(LabelledRows.LABEL).isNotNull());
    Evaluation e = new BinaryEvaluator(LabelledRows.LABEL, LabelledRows.SCORE).evaluate(labelled, 0.5,
        List.of(LabelledRows.ROLE));
    BinaryMetrics ours = e.slice(LabelledRows.ROLE, role).map(SliceMetrics::metrics).orElse(null);
    BinaryMetrics theirs = e.slice(LabelledRows.ROLE, "production").map(SliceMetrics::metrics).orElse(null);
    String metric = v.guard().metric();
    double vv = ours == null ? Double.NaN : ours.metric(metric);
    double pv = theirs == null ? Double.NaN : theirs.metric(metric);
    long rows = ours == null ? 0 : ours.rows();
    LocalDate matured = maturedOn(day, spec.spec().monitoring().delay());
    return decide(spec, v, day, step, metric, vv, pv, rows, matured.isAfter(firstUnscored) ? matured : firstUnscored, run);
  }

  private RampStep decide(LoadedSpec spec, VariantSpec v, LocalDate day, int step, String metric, double vv, double pv,
      long rows, LocalDate effective, JobRun run) {
    String model = spec.spec().name();
    String figures = String.format(Locale.ROOT, "%s %s on %s: %s, Production %s, %d labelled rows", model, v.name(), day,
        metric + " " + fmt(vv), fmt(pv), rows);
    if (rows < v.minLabelledRows()) {
      return new RampStep(model, v.name(), day, effective, step, v.ramp().get(step), "hold", metric, vv, pv, rows, null,
          figures + " (fewer than min-labelled-rows " + v.minLabelledRows() + "): the share stays");
    }
    boolean higher = BinaryMetrics.higherIsBetter(metric);
    double bound = higher ? pv - v.guard().maxDrop() : pv + v.guard().maxDrop();
    boolean holds = !Double.isNaN(vv) && !Double.isNaN(pv) && (higher ? vv >= bound : vv <= bound);
    if (!holds) {
      Alert alert = Alert.of("model " + model, day.toString(), "canary:" + v.name(), metric, vv, bound, Alert.Severity.ALERT,
          figures + String.format(Locale.ROOT, ": the guard (max-drop %.4f) failed; the canary goes back to 0 from %s",
              v.guard().maxDrop(), effective));
      AlertSink.deliverAll(sinks, List.of(alert), run);
      return new RampStep(model, v.name(), day, effective, -1, 0.0, "stop", metric, vv, pv, rows, alert.id(),
          alert.message());
    }
    int next = Math.min(step + 1, v.ramp().size() - 1);
    boolean last = next == v.ramp().size() - 1;
    String reason = figures + String.format(Locale.ROOT, ": the guard holds; share %.4f from %s", v.ramp().get(next),
        effective);
    String alertId = null;
    if (last) {
      Alert proposal = Alert.of("model " + model, day.toString(), "canary:" + v.name(), "promotion_proposed", vv, bound,
          Alert.Severity.WARN, reason + "; at its last step, variant " + v.name() + " (" + v.model() + ") is proposed for"
          + " promotion: mlops models promote " + model + " <its version> --by <approver> --reason <why> (through the gate)");
      AlertSink.deliverAll(sinks, List.of(proposal), run);
      alertId = proposal.id();
      reason = proposal.message();
    }
    return new RampStep(model, v.name(), day, effective, next, v.ramp().get(next), last ? "proposed" : "up", metric, vv, pv,
        rows, alertId, reason);
  }

  /** The severity of the alert raised with {@code step}: a stop alerts, a promotion proposal warns; none otherwise. */
  public static Optional<Alert.Severity> severity(RampStep step) {
    if (step.alertId() == null) {
      return Optional.empty();
    }
    return Optional.of(step.action().equals("stop") ? Alert.Severity.ALERT : Alert.Severity.WARN);
  }

  /** The day {@code day} matures on: its end plus the delay, rounded up to a day. */
  static LocalDate maturedOn(LocalDate day, java.time.Duration delay) {
    Instant at = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().plus(delay);
    LocalDate date = LocalDate.ofInstant(at, ZoneOffset.UTC);
    return at.equals(date.atStartOfDay(ZoneOffset.UTC).toInstant()) ? date : date.plusDays(1);
  }

  private static String fmt(double d) {
    return Double.isNaN(d) ? "undefined" : String.format(Locale.ROOT, "%.4f", d);
  }
}
