package dev.mlops.jobs.cli;

import dev.mlops.core.config.MonitoringConfig;
import dev.mlops.core.runs.JobRun;
import dev.mlops.core.tables.TableName;
import dev.mlops.monitoring.ColumnDrift;
import dev.mlops.monitoring.DriftJudge;
import dev.mlops.monitoring.DriftReport;
import dev.mlops.monitoring.DriftService;
import dev.mlops.monitoring.DriftService.ReferenceChoice;
import dev.mlops.monitoring.alerts.Alert;
import dev.mlops.monitoring.alerts.AlertSink;
import dev.mlops.monitoring.alerts.RetrainingTrigger;
import dev.mlops.monitoring.alerts.TableAlertSink;
import dev.mlops.monitoring.drift.DriftShare;
import dev.mlops.monitoring.drift.DriftStatus;
import dev.mlops.monitoring.drift.DriftThresholds;
import dev.mlops.monitoring.engines.DriftEngine;
import dev.mlops.monitoring.engines.ExactDriftEngine;
import dev.mlops.monitoring.engines.SketchDriftEngine;
import dev.mlops.monitoring.report.DriftReportWriter;
import dev.mlops.validation.profiles.ProfileStore;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code mlops drift}: the drift of a model's inputs and score, or of a table's columns, per day
 * against a reference; results to {@code monitoring.drift}, alerts to {@code monitoring.alerts}
 * (see {@code docs/MONITORING.md}).
 */
@Command(name = "drift",
    description = "Measure drift (PSI, KS, chi-squared, Jensen-Shannon) per day of a model's inputs and score, or of a"
        + " table, against a reference; exit 1 with --fail-on when an alert reaches that severity.")
public final class DriftCommand implements Callable<Integer> {
  @ParentCommand MlopsCommand parent;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Subject subject;

  /** What is watched. */
  static final class Subject {
    @Option(names = "--model", paramLabel = "NAME", description = "A model: the inputs of its Production version, and its score.")
    String model;

    @Option(names = "--table", paramLabel = "DB.TABLE", description = "A table: its numeric and categorical columns.")
    String table;
  }

  @Option(names = "--version", paramLabel = "N",
      description = "With --model: the version whose served days are measured (default: the Production version).")
  Integer version;

  @Option(names = "--partition-column", defaultValue = "date", paramLabel = "COLUMN",
      description = "With --table: the day column (default: ${DEFAULT-VALUE}).")
  String partitionColumn;

  @Option(names = "--columns", split = ",", paramLabel = "C1,C2", description = "With --table: the columns (default: all).")
  List<String> columns;

  @Option(names = "--date", description = "The day (yyyy-mm-dd).")
  LocalDate date;

  @Option(names = "--start", description = "First day of a range (with --end).")
  LocalDate start;

  @Option(names = "--end", description = "Last day of the range, included.")
  LocalDate end;

  @Option(names = "--reference", paramLabel = "DB.TABLE[@VERSION]",
      description = "Compare with this table (default: the model's training set).")
  String reference;

  @Option(names = "--reference-start", description = "Compare with these days of the same table (with --reference-end).")
  LocalDate referenceStart;

  @Option(names = "--reference-end", description = "Last reference day, included.")
  LocalDate referenceEnd;

  @Option(names = "--engine", paramLabel = "sketch|exact",
      description = "sketch: stored profiles, no rows read; exact: scan the rows (default: monitoring.engine, sketch).")
  String engine;

  @Option(names = "--fail-on", paramLabel = "warn|alert", description = "Exit 1 when an alert of this severity or above is raised.")
  String failOn;

  @Option(names = "--report", description = "Also write the run's HTML report to <reports>/drift/<subject>/<run id>.html.")
  boolean report;

  @Override
  public Integer call() {
    CliContext ctx = new CliContext(parent.global, parent.output());
    LocalDate first = date != null ? date : start;
    LocalDate last = date != null ? date : end;
    if (first == null || last == null || (date != null && (start != null || end != null))) {
      throw CliErrors.dayOrRange("drift");
    }
    if (version != null && subject.model == null) {
      throw CliErrors.versionWithoutModel();
    }
    Alert.Severity threshold = failOn == null ? null : severity(failOn);
    String engineName = engine != null ? engine : ctx.config().config().monitoring().engine();
    List<String> args = spec.commandLine().getParseResult().originalArgs();
    DriftReport result = subject.model != null
        ? run(ctx, engineName, r -> service(ctx, engineName).model(subject.model, version, first, last, choice(), judge(ctx),
            r),
            "model " + subject.model, first, last, report, args)
        : run(ctx, engineName, r -> service(ctx, engineName).table(TableName.parse(subject.table), partitionColumn,
            columns == null ? List.of() : columns, first, last, choice(), judge(ctx), r), "table " + subject.table, first, last,
            report, args);
    ctx.output().machine(json(result));
    List<Alert> raised = threshold == null ? List.of()
        : result.alerts().stream().filter(a -> a.severity().compareTo(threshold) >= 0).toList();
    return raised.isEmpty() ? 0 : ctx.output().failed(raised.size() + " alert(s) at --fail-on " + failOn + " or above: "
        + String.join("; ", raised.stream().map(Alert::message).toList()));
  }

  private ReferenceChoice choice() {
    if (reference != null && (referenceStart != null || referenceEnd != null)) {
      throw CliErrors.twoReferences();
    }
    if (referenceStart != null || referenceEnd != null) {
      if (referenceStart == null || referenceEnd == null) {
        throw CliErrors.referenceRange();
      }
      return new ReferenceChoice.Days(referenceStart, referenceEnd);
    }
    if (reference == null) {
      return new ReferenceChoice.Default();
    }
    int at = reference.indexOf('@');
    if (at < 0) {
      return new ReferenceChoice.Table(TableName.parse(reference), null);
    }
    try {
      return new ReferenceChoice.Table(TableName.parse(reference.substring(0, at)), Long.parseLong(reference.substring(at + 1)));
    } catch (NumberFormatException e) {
      throw CliErrors.badReference(reference);
    }
  }

  private static Alert.Severity severity(String text) {
    try {
      return Alert.Severity.parse(text);
    } catch (IllegalArgumentException e) {
      throw CliErrors.badSeverity(text);
    }
  }

  /**
   * The drift of {@code model} for the days {@code first} to {@code last} with the config's engine,
   * as a recorded job, with its HTML report.
   */
  static DriftReport model(CliContext ctx, String model, LocalDate first, LocalDate last, ReferenceChoice choice,
      List<String> args) {
    String engineName = ctx.config().config().monitoring().engine();
    return run(ctx, engineName, r -> service(ctx, engineName).model(model, first, last, choice, judge(ctx), r), "model " + model,
        first, last, true, args);
  }

  /** Measures drift as a recorded job, writes its HTML report when asked, and prints the summary for people. */
  private static DriftReport run(CliContext ctx, String engineName, Function<JobRun, DriftReport> body, String what,
      LocalDate first, LocalDate last, boolean html, List<String> args) {
    ctx.output().progress("measuring drift of " + what + " for " + (first.equals(last) ? first : first + " .. " + last) + " ("
        + engineName + " engine)");
    DriftReport report = ctx.runs().run("drift", args, r -> {
      DriftReport measured = body.apply(r);
      return html ? new DriftReportWriter(ctx.warehouse()).write(measured, r.runId()) : measured;
    });
    ctx.output().human(describe(report));
    return report;
  }

  private static DriftService service(CliContext ctx, String engineName) {
    return new DriftService(ctx.warehouse(), ctx.modelRegistry(), engine(ctx, engineName), sinks(ctx), Clock.systemUTC());
  }

  /**
   * The alerts table, then the retraining trigger: through Airflow when {@code airflow.url} is
   * set, else recorded as a dry run.
   */
  static List<AlertSink> sinks(CliContext ctx) {
    boolean airflow = ctx.config().config().airflow().configured();
    return List.of(new TableAlertSink(ctx.warehouse(), Clock.systemUTC()), new RetrainingTrigger(ctx.warehouse(),
        airflow ? Optional.of(ctx.airflowClient()) : Optional.empty(), ctx.config().config().monitoring().retraining(),
        Clock.systemUTC(), ctx.output()::human));
  }

  private static DriftJudge judge(CliContext ctx) {
    return judge(ctx.config().config().monitoring());
  }

  static DriftEngine engine(CliContext ctx, String name) {
    return switch (name) {
      case "sketch" -> new SketchDriftEngine(new ProfileStore(ctx.warehouse(), Clock.systemUTC()));
      case "exact" -> new ExactDriftEngine();
      default -> throw CliErrors.unknownEngine(name);
    };
  }

  static DriftJudge judge(MonitoringConfig config) {
    MonitoringConfig.Thresholds t = config.thresholds();
    return new DriftJudge(DriftThresholds.defaults().withPsi(t.psiWarn(), t.psiAlert()).withKs(t.ksAlpha(), t.ksMinStatistic())
        .withChiSquared(t.chiSquaredAlpha(), t.chiSquaredMinCramersV()).withJensenShannon(t.jsWarn(), t.jsAlert())
        .withDriftShare(t.driftShare()), config.psiBins());
  }

  /** One line per partition (share of drifted features, the drifted ones), then the alerts. */
  static String describe(DriftReport r) {
    List<Row> rows = new ArrayList<>();
    for (String p : r.partitions()) {
      DriftShare share = r.shares().get(p);
      List<String> drifted = r.columns().stream().filter(c -> c.partition().equals(p) && c.status() == DriftStatus.DRIFT)
          .map(ColumnDrift::column).toList();
      rows.add(RowFactory.create(p, share.status().name(), Double.isNaN(share.share()) ? "-"
          : String.format(Locale.ROOT, "%.0f%%", 100 * share.share()), String.join(", ", drifted)));
    }
    String head = String.format("%s vs %s (%s engine): %d partitions, first drifted: %s", r.subject(), r.reference(),
        r.engine(), r.partitions().size(), r.firstDriftedPartition() == null ? "none" : r.firstDriftedPartition());
    return head + "\n" + TablePrinter.render(new String[] {r.partitionColumn(), "dataset", "drifted share", "drifted columns"},
        rows) + String.format("%nalerts: %d (%d new)", r.alerts().size(), r.newAlerts().size())
        + (r.htmlReport() == null ? "" : "\nreport: " + r.htmlReport());
  }

  static Map<String, Object> json(DriftReport r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("subject", r.subject());
    m.put("model_version", r.modelVersion());
    m.put("table", r.table().toString());
    m.put("reference", r.reference());
    m.put("engine", r.engine());
    m.put("first_drifted_partition", r.firstDriftedPartition());
    List<Map<String, Object>> partitions = new ArrayList<>();
    for (String p : r.partitions()) {
      Map<String, Object> x = new LinkedHashMap<>();
      DriftShare share = r.shares().get(p);
      x.put("partition", p);
      x.put("status", share.status().name());
      x.put("drift_share", Double.isNaN(share.share()) ? null : share.share());
      Map<String, Object> cols = new LinkedHashMap<>();
      r.columns().stream().filter(c -> c.partition().equals(p)).forEach(c -> {
        Map<String, Object> metrics = new LinkedHashMap<>();
        c.results().forEach(res -> metrics.put(res.metric(), Map.of("value", Double.isNaN(res.value()) ? "NaN" : res.value(),
            "status", res.status().name())));
        cols.put(c.column(), Map.of("status", c.status().name(), "metrics", metrics));
      });
      x.put("columns", cols);
      partitions.add(x);
    }
    m.put("partitions", partitions);
    m.put("alerts", r.alerts().stream().map(a -> Map.of("id", a.id(), "partition", a.partition(), "column", a.column(),
        "metric", a.metric(), "severity", a.severity().label(), "message", a.message())).toList());
    m.put("new_alerts", r.newAlerts().size());
    m.put("report", r.htmlReport());
    return m;
  }
}
