package dev.mlops.jobs.cli;

import dev.mlops.core.demo.DemoDataSpec;
import dev.mlops.core.demo.DemoDataSummary;
import dev.mlops.core.demo.DemoDataWriter;
import dev.mlops.features.FeatureStore;
import dev.mlops.features.FeatureView;
import dev.mlops.features.materialize.MaterializationResult;
import dev.mlops.features.online.OnlineFeatureClient;
import dev.mlops.features.online.OnlineVerifier;
import dev.mlops.features.online.SyncResult;
import dev.mlops.features.online.VerifyResult;
import dev.mlops.features.registry.ApplyResult;
import dev.mlops.features.registry.FeatureRegistry;
import dev.mlops.monitoring.DriftReport;
import dev.mlops.monitoring.DriftService;
import dev.mlops.monitoring.performance.PerformanceReport;
import dev.mlops.validation.Suite;
import dev.mlops.validation.SuiteLoader;
import dev.mlops.validation.ValidationResult;
import dev.mlops.validation.ValidationTables;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code mlops demo}: generates the demo data and runs the nightly pipeline on it, locally.
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

  @Option(names = "--drift-date", description = "First day of the drift (default: the last three days drift, which the"
      + " model's training leaves out while their fraud reports arrive).")
  LocalDate driftDate;

  @Option(names = "--data-only", description = "Only generate the raw data; skip the pipeline.")
  boolean dataOnly;

  @Override
  public Integer call() {
    Output out = new Output(System.out, System.err, parent.global.json);
    CliContext ctx = new CliContext(parent.global, out);
    if (days < 4 || history < 0) {
      throw CliErrors.demoDays(days, history);
    }
    LocalDate first = start != null ? start : LocalDate.now(ZoneOffset.UTC).minusDays(history + days);
    LocalDate served = first.plusDays(history);
    DemoDataSpec demo = new DemoDataSpec(seed, scale, first, history + days,
        driftDate == null ? served.plusDays(days - 3) : driftDate);
    out.progress("opening Spark on " + ctx.config().config().warehouse().uri());
    DemoDataSummary summary = ctx.runs().run("demo", List.of(spec.commandLine().getParseResult().originalArgs().toArray(String[]::new)),
        run -> {
          out.progress("generating demo data (seed " + seed + ", scale " + scale + ", " + demo.start() + " .. "
              + demo.end().minusDays(1) + ")");
          return new DemoDataWriter(ctx.warehouse()).write(demo, run, out::progress);
        });
    out.human(summary.describe());
    out.human("tables: " + summary.tables());
    List<Map<String, Object>> materialized = new ArrayList<>();
    Map<String, Object> online = new LinkedHashMap<>();
    List<Map<String, Object>> validations = new ArrayList<>();
    Map<String, Object> model = new LinkedHashMap<>();
    Map<String, Object> scored = new LinkedHashMap<>();
    Map<String, Object> monitoring = new LinkedHashMap<>();
    if (!dataOnly) {
      List<Suite> suites = new SuiteLoader(System::getenv)
          .loadAll(Path.of(ctx.config().config().validation().suites()));
      Set<String> laterSteps = Set.of("features", "predictions");
      validations.addAll(validate(ctx, suitesOf(suites, db -> !laterSteps.contains(db))));
      materialized.addAll(features(ctx, out, demo));
      validations.addAll(validate(ctx, suitesOf(suites, "features"::equals)));
      online.putAll(online(ctx, out));
      model.putAll(train(ctx, out));
      LocalDate last = demo.end().minusDays(1);
      scored.putAll(ScoreCommand.json(ScoreCommand.run(ctx, "fraud", served, last,
          List.of("--model", "fraud", "--start", served.toString(), "--end", last.toString()))));
      validations.addAll(validate(ctx, suitesOf(suites, "predictions"::equals)));
      monitoring.putAll(monitor(ctx, served, last));
      ViewsCommand.create(ctx, out);
    }
    out.human("try: bin/mlops sql \"SELECT date, count(*), round(avg(amount), 2) FROM raw.transactions GROUP BY date ORDER BY date\"");
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("transactions", summary.transactions());
    json.put("customers", summary.customers());
    json.put("merchants", summary.merchants());
    json.put("fraud_labels", summary.fraudLabels());
    json.put("mean_amount_before_drift", summary.meanAmountBeforeDrift());
    json.put("mean_amount_after_drift", summary.meanAmountAfterDrift());
    json.put("tables", summary.tables().stream().map(Object::toString).toList());
    json.put("feature_tables", materialized);
    json.put("validations", validations);
    json.put("online", online);
    json.put("model", model);
    json.put("scored", scored);
    json.put("monitoring", monitoring);
    out.machine(json);
    return 0;
  }

  /**
   * The model's performance on the scored days with the labels that arrived by the night after the
   * last (the days of the last 20 are pending), then the drift of its inputs and score, with its
   * report.
   */
  private static Map<String, Object> monitor(CliContext ctx, LocalDate first, LocalDate last) {
    List<String> range = List.of("--start", first.toString(), "--end", last.toString());
    Instant night = last.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    PerformanceReport performance = MonitorCommand.run(ctx, "fraud", first, last, night, concat(List.of("performance",
        "--model", "fraud", "--as-of", night.toString()), range));
    DriftReport drift = DriftCommand.model(ctx, "fraud", first, last, new DriftService.ReferenceChoice.Default(),
        concat(List.of("--model", "fraud", "--report"), range));
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("performance", MonitorCommand.json(performance));
    json.put("drift", DriftCommand.json(drift));
    return json;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** The suites whose table is in a database that {@code database} accepts. */
  private static List<Suite> suitesOf(List<Suite> suites, Predicate<String> database) {
    return suites.stream().filter(s -> database.test(s.table().database())).toList();
  }

  /** Runs {@code suites}; fails the demo when one fails its gate. */
  private static List<Map<String, Object>> validate(CliContext ctx, List<Suite> suites) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Suite suite : suites) {
      ValidationResult r = ValidateCommand.run(ctx, suite, null, List.of("--suite", suite.source()));
      if (!r.passed()) {
        throw CliErrors.demoValidationFailed(suite.table(), suite.source(), r.htmlReport());
      }
      if (r.quarantinedRows() > 0) {
        ctx.output().human(String.format("validation moved %,d bad rows of %s to %s (%,d rows remain); see their"
            + " _failed_checks", r.quarantinedRows(), suite.table(), ValidationTables.quarantine(
            suite.table()), r.rows() - r.quarantinedRows()));
      }
      out.add(Map.of("table", suite.table().toString(), "rows", r.rows(), "quarantined", r.quarantinedRows(),
          "checks", r.results().size(), "report", r.report()));
    }
    return out;
  }

  /**
   * Trains the demo's fraud model; the spec's auto-promotion policy moves a version that passes
   * the gate to Production. Then trains a challenger from the same spec and leaves it in Staging,
   * where scoring runs it as a shadow. A refused version is reported, not an error: the gate did
   * its job.
   */
  private static Map<String, Object> train(CliContext ctx, Output out) {
    dev.mlops.training.TrainResult r = TrainCommand.run(ctx, "fraud", "demo", true, List.of("--model", "fraud"));
    if (!r.gate().passed()) {
      out.human("the gate refused " + r.version().id() + ": " + String.join("; ", r.gate().failures()));
    }
    out.progress("training a challenger of fraud to run in shadow (left in Staging)");
    dev.mlops.training.TrainResult challenger = TrainCommand.run(ctx, "fraud", "demo", false,
        List.of("--model", "fraud", "--no-promote"));
    Map<String, Object> json = new LinkedHashMap<>(TrainCommand.json(r));
    json.put("challenger", TrainCommand.json(challenger));
    return json;
  }

  /** Syncs the demo's feature service to Redis and checks online against offline. */
  private static Map<String, Object> online(CliContext ctx, Output out) {
    String service = "fraud_detection";
    out.progress("syncing " + service + " to Redis at " + ctx.redisSettings().address());
    List<SyncResult> synced = ctx.runs().run("online.sync", List.of("--service", service),
        run -> ctx.onlineSync().syncService(service, null, false, run));
    for (SyncResult r : synced) {
      out.human(String.format("online: %s %s sync: %,d written, %,d deleted", r.view(), r.mode(), r.written(), r.deleted()));
    }
    out.progress("verifying online against offline (training-serving skew)");
    VerifyResult check;
    try (OnlineFeatureClient client = ctx.onlineClient()) {
      check = ctx.runs().run("online.verify", List.of("--service", service, "--sample", "1000"), run ->
          new OnlineVerifier(ctx.warehouse(), new FeatureRegistry(
              ctx.warehouse(), Clock.systemUTC()), client, ctx.onlineSync(), Clock.systemUTC())
              .verify(service, null, 1000, 42L, ctx.config().config().online().maxMismatchRate()));
    }
    out.human(String.format("online verify: %,d entities, %,d values, %,d mismatches: %s", check.entities(), check.values(),
        check.mismatches().size(), check.passed() ? "OK" : "SKEW"));
    if (!check.passed()) {
      throw CliErrors.demoOnlineSkew(check.mismatches().size(), check.mismatches().get(0), service);
    }
    return Map.of("redis", ctx.redisSettings().address(), "written", synced.stream().mapToLong(r -> r.written()).sum(),
        "verified_values", check.values(), "mismatches", check.mismatches().size());
  }

  /** Applies the feature repository and backfills every view through the last demo day. */
  private static List<Map<String, Object>> features(CliContext ctx, Output out, DemoDataSpec demo) {
    FeatureStore store = ctx.featureStore();
    out.progress("applying the feature repository " + ctx.config().config().features().repo());
    ApplyResult applied = ctx.runs().run("features.apply", List.of(), store::apply);
    out.human("features: created " + applied.created().size() + ", updated " + applied.updated().size() + ", unchanged "
        + applied.unchanged().size() + " definitions");
    List<Map<String, Object>> materialized = new ArrayList<>();
    for (FeatureView view : store.repo().views()) {
      out.progress("materializing " + view.id() + " through " + demo.end().minusDays(1));
      MaterializationResult r = ctx.runs().run("features.materialize",
          List.of("--view", view.name(), "--version", String.valueOf(view.version()), "--end", demo.end().minusDays(1).toString()),
          run -> store.backfill(view.name(), view.version(), demo.end().minusDays(1), run).orElseThrow());
      out.human(FeaturesCommand.describe(r));
      materialized.add(Map.of("view", r.view(), "table", r.table().toString(), "rows", r.rows()));
    }
    return materialized;
  }
}
