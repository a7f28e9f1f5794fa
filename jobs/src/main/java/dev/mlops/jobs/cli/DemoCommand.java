package dev.mlops.jobs.cli;

import dev.mlops.core.demo.DemoData;
import dev.mlops.core.demo.DemoDataSpec;
import dev.mlops.core.demo.DemoDataSummary;
import dev.mlops.core.demo.DemoDataWriter;
import dev.mlops.core.pipeline.PipelineDefinition;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code mlops demo}: generates the demo data, then runs the pipelines of {@code conf/pipelines} on
 * it, in this JVM: the nightly pipeline's feature steps backfilled over every day, the retraining
 * pipeline twice (a first Production version, then its successor, so that the spec's rollback
 * policy has a version to go back to) and a challenger in Staging, then the nightly pipeline's
 * scoring and monitoring steps over the served days. Model and service names come from the pipelines' params.
 */
@Command(name = "demo",
    description = "Generate the demo data (card transactions with delayed fraud labels and a drift) and run the pipeline on it.")
public final class DemoCommand implements Callable<Integer> {
  @ParentCommand MlopsCommand parent;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--scale", defaultValue = "1.0", description = "1.0 is about a million transactions (default: ${DEFAULT-VALUE}).")
  double scale;

  @Option(names = "--start", description = "First day of the data (default: --history + --days days before today, UTC,"
      + " so that the data ends yesterday).")
  LocalDate start;

  @Option(names = "--days", defaultValue = "28", description = "Days the pipeline scores and monitors, after the history"
      + " (default: ${DEFAULT-VALUE}).")
  int days;

  @Option(names = "--history", defaultValue = "56", description = "Days of data before them, in which every feature window"
      + " fills: 30 days, over fraud reports that arrive up to 20 days late (default: ${DEFAULT-VALUE}).")
  int history;

  @Option(names = "--drift-date", description = "First day of the drift, from which the fraud changes its pattern"
      + " (default: with 25 served days or more, four days before the last served day whose fraud reports have"
      + " all arrived, 20 days after it, so that the rollback policy judges matured days of the drift; else the last"
      + " three served days).")
  LocalDate driftDate;

  @Option(names = "--data-only", description = "Only generate the raw data; skip the pipeline.")
  boolean dataOnly;

  /** The nightly step whose ancestors are the feature steps, which run before a model exists. */
  static final String LAST_FEATURE_STEP = "online_verify";
  /** The nightly step from which on a Production model is needed: scoring and monitoring. */
  static final String FIRST_MODEL_STEP = "score";

  @Override
  public Integer call() {
    Output out = parent.output();
    CliContext ctx = new CliContext(parent.global, out);
    if (days < 4 || history < 0) {
      throw CliErrors.demoDays(days, history);
    }
    // The demo writes its data, then pipelines that record their steps between runs: one writer.
    try (var admitted = ctx.writerGuard().enter("demo")) {
      return generateAndRun(ctx, out);
    }
  }

  private Integer generateAndRun(CliContext ctx, Output out) {
    LocalDate first = start != null ? start : LocalDate.now(ZoneOffset.UTC).minusDays(history + days);
    LocalDate served = first.plusDays(history);
    DemoDataSpec demo = new DemoDataSpec(seed, scale, first, history + days,
        driftDate == null ? defaultDriftDate(served, days) : driftDate, true);
    out.progress("opening Spark on " + ctx.config().config().warehouse().uri());
    DemoDataSummary summary = ctx.runs().run("demo", List.of(spec.commandLine().getParseResult().originalArgs().toArray(String[]::new)),
        run -> {
          out.progress("generating demo data (seed " + seed + ", scale " + scale + ", " + demo.start() + " .. "
              + demo.end().minusDays(1) + ")");
          return new DemoDataWriter(ctx.warehouse()).write(demo, run, out::progress);
        });
    out.human(summary.describe());
    out.human("tables: " + summary.tables());
    List<StepResult> steps = dataOnly ? List.of() : pipelines(ctx, first, served, demo.end().minusDays(1));
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("transactions", summary.transactions());
    json.put("customers", summary.customers());
    json.put("merchants", summary.merchants());
    json.put("fraud_labels", summary.fraudLabels());
    json.put("mean_amount_before_drift", summary.meanAmountBeforeDrift());
    json.put("mean_amount_after_drift", summary.meanAmountAfterDrift());
    json.put("tables", summary.tables().stream().map(Object::toString).toList());
    json.putAll(DemoSummary.of(steps));
    if (!dataOnly) {
      DemoSummary.whereToLook(out, json, PipelineCommand.load(ctx, "nightly", Map.of()).params().getOrDefault("service",
          "SERVICE"));
    }
    out.human("try: bin/mlops sql \"SELECT date, count(*), round(avg(amount), 2) FROM raw.transactions GROUP BY date ORDER BY date\"");
    out.machine(json);
    return 0;
  }

  /** Days of the drift that have matured by the end of the data, when there are enough served days. */
  static final int MATURED_DRIFT_DAYS = 4;

  /**
   * The first day of the drift when none is given: {@value #MATURED_DRIFT_DAYS} days before the
   * last served day whose labels are complete by the end of the data ({@link
   * DemoData#MAX_REPORT_DELAY_DAYS} after it), so that the monitoring judges matured days of the
   * drift; when too few days are served for that, the last three served days.
   */
  static LocalDate defaultDriftDate(LocalDate served, int days) {
    LocalDate last = served.plusDays(days - 1);
    LocalDate lastMatured = last.minusDays(DemoData.MAX_REPORT_DELAY_DAYS);
    LocalDate drift = lastMatured.minusDays(MATURED_DRIFT_DAYS - 1);
    return drift.isAfter(served) ? drift : served.plusDays(days - 3);
  }

  /**
   * The pipelines over the demo's days: nightly's feature steps over every day, retraining for the
   * day before the served days and again for the last day (two Production versions in turn), a
   * challenger left in Staging, then nightly's model steps over the served days.
   * Every step is forced: the data was just generated anew.
   */
  private List<StepResult> pipelines(CliContext ctx, LocalDate first, LocalDate served, LocalDate last) {
    PipelineDefinition nightly = PipelineCommand.load(ctx, "nightly", Map.of());
    PipelineDefinition retraining = PipelineCommand.load(ctx, "retraining", Map.of());
    PipelineRunner runner = PipelineCommand.runner(ctx);
    List<StepResult> all = new ArrayList<>();
    ctx.output().progress("pipeline nightly: the feature steps over " + first + " .. " + last);
    all.addAll(succeeded(ctx, nightly, runner.backfill(nightly, first, last, new PipelineRunner.Selection(null, List.of(),
        LAST_FEATURE_STEP), true)));
    // Two versions in turn in Production, so that the rollback policy has a previous one to go back to.
    ctx.output().progress("pipeline retraining for " + served.minusDays(1) + " (the first Production version)");
    all.addAll(succeeded(ctx, retraining, runner.run(retraining, served.minusDays(1), PipelineRunner.Selection.all(),
        true)));
    ctx.output().progress("pipeline retraining for " + last + " (its successor in Production)");
    all.addAll(succeeded(ctx, retraining, runner.run(retraining, last, PipelineRunner.Selection.all(), true)));
    String model = retraining.params().get("model");
    ctx.output().progress("training a challenger of " + model + " to run in shadow (left in Staging)");
    dev.mlops.training.TrainResult challenger = TrainCommand.run(ctx, model, "demo", false, List.of("--model", model,
        "--no-promote"));
    ctx.output().progress("pipeline nightly: scoring and monitoring over the served days " + served + " .. " + last);
    all.addAll(succeeded(ctx, nightly, runner.backfill(nightly, served, last, new PipelineRunner.Selection(
        FIRST_MODEL_STEP, List.of(), null), true)));
    all.add(new StepResult("challenger", last, null, dev.mlops.core.pipeline.StepStatus.SUCCEEDED, 1, java.time.Duration.ZERO,
        null, List.of(challenger.version().runId()), null, List.of("train", "--model", model, "--no-promote"),
        dev.mlops.core.tables.Json.mapper().valueToTree(TrainCommand.json(challenger))));
    ViewsCommand.create(ctx, ctx.output());
    return all;
  }

  /** {@code results}, after printing their table; fails the demo naming the failed steps. */
  private static List<StepResult> succeeded(CliContext ctx, PipelineDefinition p, List<StepResult> results) {
    PipelineSummary.human(ctx.output(), results);
    List<String> failed = results.stream().filter(StepResult::failed).map(r -> r.step() + " (" + r.error() + ")").toList();
    if (!failed.isEmpty()) {
      throw CliErrors.demoPipelineFailed(p.name(), failed);
    }
    return results;
  }
}
