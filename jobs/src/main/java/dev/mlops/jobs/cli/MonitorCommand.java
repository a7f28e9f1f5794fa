package dev.mlops.jobs.cli;

import static dev.mlops.core.tables.TableValues.finiteOrNull;

import dev.mlops.core.config.Durations;
import dev.mlops.core.runs.JobRun;
import dev.mlops.monitoring.alerts.Alert;
import dev.mlops.monitoring.performance.PartitionPerformance;
import dev.mlops.monitoring.performance.PerformanceMonitor;
import dev.mlops.monitoring.performance.PerformanceReport;
import dev.mlops.monitoring.performance.CanaryRamp;
import dev.mlops.monitoring.performance.PerformanceStatus;
import dev.mlops.training.canary.RampStep;
import dev.mlops.monitoring.rollback.AutoRollback;
import dev.mlops.monitoring.rollback.RollbackDecision;
import dev.mlops.training.spec.ModelSpecLoader.LoadedSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code mlops monitor ...}: how models in production do; see {@code docs/TRAINING.md}, "Performance monitoring". */
@Command(name = "monitor", description = "Monitor models in production: realized performance once the labels arrive.",
    subcommands = {MonitorCommand.Performance.class})
public final class MonitorCommand {
  @ParentCommand MlopsCommand parent;

  /** {@code monitor performance}. */
  @Command(name = "performance",
      description = "The realized metric of the rows Production served, per day and slice, with the labels arrived by"
          + " --as-of, against the version's test figure; results to monitoring.performance, alerts to monitoring.alerts;"
          + " exit 1 with --fail-on when an alert of that severity is raised.")
  static final class Performance implements Callable<Integer> {
    @ParentCommand MonitorCommand monitor;
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "NAME|FILE",
        description = "A model in training.models, or a spec file, with a monitoring.labels section.")
    String model;

    @Option(names = "--date", description = "The day (yyyy-mm-dd).")
    LocalDate date;

    @Option(names = "--start", description = "First day of a range (with --end).")
    LocalDate start;

    @Option(names = "--end", description = "Last day of the range, included.")
    LocalDate end;

    @Option(names = "--as-of", paramLabel = "TIMESTAMP",
        description = "Use the labels that arrived by then: 2026-12-01T06:00:00Z, 2026-12-01T06:00 (UTC) or 2026-12-01"
            + " (its start, UTC); default: now.")
    String asOf;

    @Option(names = "--matured", description = "Instead of given days: every served day whose labels are complete by"
        + " --as-of and that no run measured complete yet (a nightly run's catch-up).")
    boolean matured;

    @Option(names = "--fail-on", paramLabel = "warn|alert", description = "Exit 1 when an alert of this severity or above is raised.")
    String failOn;

    @Override
    public Integer call() {
      boolean range = start != null && end != null;
      int choices = (date != null ? 1 : 0) + (range ? 1 : 0) + (matured ? 1 : 0);
      if (choices != 1 || (!range && (start != null || end != null))) {
        throw CliErrors.daysToMonitor();
      }
      Alert.Severity threshold = failOn == null ? null : severity(failOn);
      Instant at = asOf == null ? null : asOf(asOf);
      CliContext ctx = new CliContext(monitor.parent.global, monitor.parent.output());
      LocalDate first = date != null ? date : start;
      LocalDate last = date != null ? date : end;
      Measured measured = run(ctx, model, (m, loaded, when, r) -> matured ? m.measureMatured(loaded, when, r)
          : m.measure(loaded, first, last, when, r), matured ? "the days matured since the last run" : first.equals(last)
          ? first.toString() : first + " .. " + last, at, spec.commandLine().getParseResult().originalArgs());
      PerformanceReport report = measured.report();
      Map<String, Object> json = json(report);
      json.put("rollback", rollbackJson(measured.rollback()));
      json.put("canary", measured.canary().stream().map(c -> Map.of("variant", c.variant(), "partition",
          c.partition().toString(), "action", c.action(), "share", c.share(), "effective_date", c.effectiveDate().toString(),
          "reason", c.reason())).toList());
      ctx.output().machine(json);
      long raised = threshold == null ? 0 : measured.raised().filter(s -> s.compareTo(threshold) >= 0).count();
      return raised == 0 ? 0 : ctx.output().failed(raised + " alert(s) at --fail-on " + failOn + " or above (see"
          + " monitoring.alerts)");
    }
  }

  /** A performance run and what the rollback policy decided after it. */
  record Measured(PerformanceReport report, RollbackDecision rollback, List<RampStep> canary) {
    /** The severities of every alert the run raised: the days judged, the rollback policy's and the canary's. */
    Stream<Alert.Severity> raised() {
      return Stream.of(report.alerts().stream().map(Alert::severity), rollback.alerts().stream().map(Alert::severity),
          canary.stream().flatMap(c -> CanaryRamp.severity(c).stream())).flatMap(s -> s);
    }
  }

  /** Which days a run measures, as of when. */
  interface Days {
    PerformanceReport measure(PerformanceMonitor monitor, LoadedSpec spec, Instant asOf, JobRun run);
  }

  /**
   * Measures {@code days} (described for people by {@code which}) as a recorded job, applies the
   * spec's rollback policy and canary ramp in the same job, and prints the summary for people;
   * {@code asOf} null for now.
   */
  static Measured run(CliContext ctx, String model, Days days, String which, Instant asOf, List<String> args) {
    LoadedSpec loaded = ctx.modelSpec(model);
    Clock clock = Clock.systemUTC();
    Instant at = asOf != null ? asOf : clock.instant();
    ctx.output().progress("measuring the performance of " + loaded.spec().name() + " for " + which
        + " with the labels arrived by " + at);
    Measured measured = ctx.runs().run("monitor.performance", args, r -> {
      PerformanceReport report = days.measure(new PerformanceMonitor(ctx.warehouse(), ctx.modelRegistry(),
          DriftCommand.sinks(ctx), clock), loaded, at, r);
      RollbackDecision rollback = new AutoRollback(ctx.warehouse(), ctx.modelRegistry(), DriftCommand.sinks(ctx), clock)
          .apply(loaded, report, r);
      return new Measured(report, rollback, new CanaryRamp(ctx.warehouse(), DriftCommand.sinks(ctx), clock)
          .advance(loaded, at, r));
    });
    StringBuilder human = new StringBuilder(describe(measured.report())).append(String.format("%nrollback: %s (%s)",
        measured.rollback().action(), measured.rollback().reason()));
    measured.canary().forEach(c -> human.append(String.format("%ncanary %s: %s (%s)", c.variant(), c.action(), c.reason())));
    ctx.output().human(human.toString());
    return measured;
  }

  static Map<String, Object> rollbackJson(RollbackDecision d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("action", d.action());
    m.put("from_version", d.fromVersion() < 0 ? null : d.fromVersion());
    m.put("to_version", d.toVersion() < 0 ? null : d.toVersion());
    m.put("alert_ids", d.alertIds());
    m.put("reason", d.reason());
    return m;
  }

  static Alert.Severity severity(String text) {
    try {
      return Alert.Severity.parse(text);
    } catch (IllegalArgumentException e) {
      throw CliErrors.badSeverity("monitor performance", text);
    }
  }

  /** {@code 2026-12-01T06:00:00Z}, {@code 2026-12-01T06:00} (UTC) or {@code 2026-12-01} (its start, UTC). */
  static Instant asOf(String text) {
    String t = text.strip();
    try {
      if (t.length() == 10) {
        return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      if (t.endsWith("Z") || t.matches(".*[+-]\\d\\d:\\d\\d$")) {
        return java.time.OffsetDateTime.parse(t).toInstant();
      }
      return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw CliErrors.badAsOf(text);
    }
  }

  /** A head line, one table line per day (its status, coverage, metric and change), degraded slices, the alerts. */
  static String describe(PerformanceReport r) {
    List<Row> rows = new ArrayList<>();
    for (PartitionPerformance p : r.overall()) {
      rows.add(RowFactory.create(p.partition(), p.status().name(), percent(p.labelCoverage()), number(p.value(), "%.4f"),
          number(p.change(), "%+.4f")));
    }
    long matured = r.overall().stream().filter(PartitionPerformance::matured).count();
    long degraded = r.overall().stream().filter(p -> p.status() == PerformanceStatus.DEGRADED).count();
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "model %s: %s of %d days, labels arrived by %s (complete"
        + " %s after a day; unlabelled rows %s): %d matured, %d degraded (max drop %.4f)%n", r.model(), r.metric(),
        r.partitions().size(), r.asOf(), Durations.format(r.labelDelay()), r.unlabelled(), matured, degraded, r.maxDrop()));
    s.append(TablePrinter.render(new String[] {"partition", "status", "coverage", r.metric(), "change"}, rows));
    r.results().stream().filter(p -> !p.overall() && p.status() == PerformanceStatus.DEGRADED).forEach(p -> s.append(
        String.format(Locale.ROOT, "%ndegraded: %s %s=%s %s %.4f (%+.4f vs v%d's test figure)", p.partition(), p.sliceColumn(),
            p.sliceValue(), p.metric(), p.value(), p.change(), p.modelVersion())));
    return s.append(String.format("%nalerts: %d (%d new)", r.alerts().size(), r.newAlerts().size())).toString();
  }

  static Map<String, Object> json(PerformanceReport r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model", r.model());
    m.put("metric", r.metric());
    m.put("max_drop", r.maxDrop());
    m.put("label_delay", Durations.format(r.labelDelay()));
    m.put("unlabelled", r.unlabelled());
    m.put("as_of", r.asOf().toString());
    m.put("predictions", r.predictions().toString());
    List<Map<String, Object>> partitions = new ArrayList<>();
    for (PartitionPerformance p : r.overall()) {
      Map<String, Object> x = figures(p);
      x.put("slices", r.results().stream().filter(s -> !s.overall() && s.partition().equals(p.partition())
          && s.modelVersion() == p.modelVersion()).map(MonitorCommand::figures).toList());
      partitions.add(x);
    }
    m.put("partitions", partitions);
    m.put("alerts", r.alerts().stream().map(a -> Map.of("id", a.id(), "partition", a.partition(), "column", a.column(),
        "metric", a.metric(), "severity", a.severity().label(), "message", a.message())).toList());
    m.put("new_alerts", r.newAlerts().size());
    return m;
  }

  private static Map<String, Object> figures(PartitionPerformance p) {
    Map<String, Object> x = new LinkedHashMap<>();
    x.put("partition", p.partition());
    if (!p.overall()) {
      x.put("slice_column", p.sliceColumn());
      x.put("slice_value", p.sliceValue());
    }
    x.put("model_version", p.modelVersion());
    x.put("status", p.status().name());
    x.put("rows", p.rows());
    x.put("labelled", p.labelled());
    x.put("label_coverage", finiteOrNull(p.labelCoverage()));
    x.put("matured", p.matured());
    x.put("value", finiteOrNull(p.value()));
    x.put("training_value", finiteOrNull(p.trainingValue()));
    x.put("change", finiteOrNull(p.change()));
    return x;
  }

  private static String percent(double share) {
    return Double.isNaN(share) ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * share);
  }

  private static String number(double d, String format) {
    return Double.isNaN(d) ? "-" : String.format(Locale.ROOT, format, d);
  }
}
