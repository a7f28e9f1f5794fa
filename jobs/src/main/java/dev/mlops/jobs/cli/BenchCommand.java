package dev.mlops.jobs.cli;

import dev.mlops.benchmarks.BenchResult;
import dev.mlops.benchmarks.DriftBenchmark;
import dev.mlops.benchmarks.OnlineBenchmark;
import dev.mlops.benchmarks.PitBenchmark;
import dev.mlops.core.CodeVersion;
import dev.mlops.core.config.CatalogConfig;
import dev.mlops.core.config.ConfigFile;
import dev.mlops.core.config.PlatformConfig;
import dev.mlops.core.config.WarehouseConfig;
import dev.mlops.core.redis.LocalRedisCluster;
import dev.mlops.core.redis.LocalRedisServer;
import dev.mlops.core.runs.RunRecorder;
import dev.mlops.core.spark.SparkSessions;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.features.online.RedisSettings;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code mlops bench ...}: benchmarks. Each prints one JSON line per case on stdout, ours against
 * a baseline measured in the same process; progress goes to stderr.
 */
@Command(name = "bench", description = "Run a benchmark: ours against baselines, side by side.",
    subcommands = {BenchCommand.Pit.class, BenchCommand.Materialize.class, BenchCommand.Online.class,
        BenchCommand.Validate.class, BenchCommand.Score.class, BenchCommand.Drift.class,
        BenchCommand.Explain.class, BenchAll.class})
public final class BenchCommand {
  @ParentCommand MlopsCommand parent;

  CliContext context() {
    return new CliContext(parent.global, parent.output());
  }

  static String dataDir(CliContext ctx, String name) {
    return ctx.config().config().warehouse().uri() + "/_bench/" + name;
  }

  /** {@code bench pit}. */
  @Command(name = "pit",
      description = "Point-in-time join against a range join (Feast) and a union + last window (Tempo).")
  static final class Pit implements Callable<Integer> {
    @ParentCommand BenchCommand bench;

    @Option(names = "--cases", split = ",", description = "Cases to run by name, such as \"5M x 5M\" (default: all).")
    List<String> cases;

    @Option(names = "--repeat", defaultValue = "2", description = "Runs of each variant; the fastest counts (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Override
    public Integer call() {
      CliContext ctx = bench.context();
      Output out = ctx.output();
      List<PitBenchmark.Case> selected = PitBenchmark.defaultCases().stream()
          .filter(c -> cases == null || cases.contains(c.name()) || cases.contains(c.name().replace("pit ", ""))).toList();
      return exitCode(new PitBenchmark(ctx.spark(), dataDir(ctx, "pit"), repeat).run(selected, out::progress, BenchCommand::print));
    }
  }

  /** {@code bench materialize}. */
  @Command(name = "materialize",
      description = "An aggregation view with four windows over 10M events, in one pass against hourly buckets and range"
          + " window frames (tiled); exit 1 when outputs differ.")
  static final class Materialize implements Callable<Integer> {
    @ParentCommand BenchCommand bench;

    @Option(names = "--events", defaultValue = "10000000", description = "Events (default: ${DEFAULT-VALUE}).")
    long events;

    @Override
    public Integer call() {
      CliContext ctx = bench.context();
      Output out = ctx.output();
      return exitCode(List.of(new dev.mlops.benchmarks.MaterializeBenchmark(ctx.spark(), dataDir(ctx, "materialize"))
          .run(events, out::progress, BenchCommand::print)));
    }
  }

  /** {@code bench online}. */
  @Command(name = "online",
      description = "Online store: sync throughput against raw pipelined writes, read latency against bare HMGETs.")
  static final class Online implements Callable<Integer> {
    @ParentCommand BenchCommand bench;

    @Option(names = "--entities", defaultValue = "1000000", description = "Entities of 20 features (default: ${DEFAULT-VALUE}).")
    long entities;

    @Option(names = "--reads", defaultValue = "100000",
        description = "Single-entity reads to time; a tenth as many batches of 100 (default: ${DEFAULT-VALUE}).")
    int reads;

    @Option(names = "--cluster", description = "Compare a local three-master Redis Cluster with one local node, in the"
        + " same run (servers of the benchmark's own, on loopback).")
    boolean cluster;

    @Override
    public Integer call() throws java.io.IOException {
      List<BenchResult> results = new java.util.ArrayList<>();
      online(bench.context(), entities, reads, cluster, results::add);
      return exitCode(results);
    }

    static void online(CliContext ctx, long entities, int reads, boolean cluster, java.util.function.Consumer<BenchResult> report)
        throws java.io.IOException {
      PlatformConfig c = ctx.config().config();
      Warehouse warehouse = ownWarehouse(ctx, "online", OnlineBenchmark.PROJECT);
      RunRecorder runs = runs(ctx, warehouse);
      java.nio.file.Path repo = java.nio.file.Files.createTempDirectory("mlops-bench-online");
      if (cluster) {
        ctx.output().progress("starting a local Redis node and a local three-master Redis Cluster");
        try (LocalRedisServer one = LocalRedisServer.startOnFreePort(); LocalRedisCluster three = LocalRedisCluster.start(3)) {
          RedisSettings single = new RedisSettings(one.host(), one.port(), 0, null, null, false, c.redis().timeoutMs());
          RedisSettings many = RedisSettings.cluster(three.nodes(), null, null, false, c.redis().timeoutMs());
          OnlineBenchmark.compareNodes(warehouse, runs, single, many, repo, c.online().writeBatch(), entities, reads,
              ctx.output()::progress, printed(report));
        }
        return;
      }
      if (c.redis().cluster()) {
        throw new dev.mlops.core.PlatformException("Cannot run bench online on " + c.redis().address() + ": it compares"
            + " the sync with raw writes on one server, and redis.mode is cluster; run bench online --cluster (it starts"
            + " a local cluster and a local node of its own), or point the config at one server");
      }
      new OnlineBenchmark(warehouse, runs, ctx.redisSettings(), repo, c.online().writeBatch())
          .run(entities, reads, ctx.output()::progress, printed(report));
    }
  }

  /** {@code bench validate}. */
  @Command(name = "validate",
      description = "A 20-check suite over 10M rows in one pass, against every check's Spark aggregate in one agg (fused),"
          + " a columnar touch-every-value floor and one action per check; exit 1 when outputs differ.")
  static final class Validate implements Callable<Integer> {
    @ParentCommand BenchCommand bench;

    @Option(names = "--rows", defaultValue = "10000000", description = "Rows (default: ${DEFAULT-VALUE}).")
    long rows;

    @Option(names = "--repeat", defaultValue = "2", description = "Runs of each variant; the fastest counts (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Override
    public Integer call() {
      CliContext ctx = bench.context();
      return exitCode(new dev.mlops.benchmarks.ValidateBenchmark(ctx.spark(), dataDir(ctx, "validate"), repeat)
          .run(rows, ctx.output()::progress, BenchCommand::print));
    }
  }

  /** The options of the scoring benchmarks ({@code bench score}, {@code bench explain}). */
  static final class ScoringScale {
    @Option(names = "--rows", defaultValue = "5000000",
        description = "Transactions scored, over the last five of seven generated days (default: ${DEFAULT-VALUE}).")
    long rows;

    @Option(names = "--repeat", defaultValue = "2", description = "Runs of each variant; the fastest counts (default: ${DEFAULT-VALUE}).")
    int repeat;
  }

  /** {@code bench score}. */
  @Command(name = "score",
      description = "The whole scoring job (five days of rows, point-in-time join, GBT, write) against a bare transform + write of"
          + " features joined beforehand.")
  static final class Score implements Callable<Integer> {
    @ParentCommand BenchCommand bench;

    @Mixin ScoringScale scale;

    @Override
    public Integer call() {
      return exitCode(List.of(score(bench.context(), scale.rows, scale.repeat)));
    }

    static BenchResult score(CliContext ctx, long rows, int repeat) {
      PlatformConfig c = ctx.config().config();
      Warehouse warehouse = ownWarehouse(ctx, "score", c.project());
      return new dev.mlops.benchmarks.ScoreBenchmark(warehouse, runs(ctx, warehouse), featureRepo(c), repeat)
          .run(rows, ctx.output()::progress, BenchCommand::print);
    }
  }

  /** {@code bench explain}. */
  @Command(name = "explain",
      description = "The scoring job with scoring.explain: top-5 (exact TreeSHAP per row) against the same job without"
          + " explanations, on the data of bench score.")
  static final class Explain implements Callable<Integer> {
    @ParentCommand BenchCommand bench;

    @Mixin ScoringScale scale;

    @Override
    public Integer call() {
      return exitCode(List.of(explain(bench.context(), scale.rows, scale.repeat)));
    }

    static BenchResult explain(CliContext ctx, long rows, int repeat) {
      PlatformConfig c = ctx.config().config();
      Warehouse warehouse = ownWarehouse(ctx, "explain", c.project());
      return new dev.mlops.benchmarks.ExplainBenchmark(warehouse, runs(ctx, warehouse), featureRepo(c), repeat)
          .run(rows, ctx.output()::progress, BenchCommand::print);
    }
  }

  /** {@code bench drift}. */
  @Command(name = "drift",
      description = "Drift of 60 features x 30 days of 100,000 rows: the sketch engine against the exact engine, the exact"
          + " engine against a collect per day and feature (Evidently-style), the sketch engine over 1,000 days in a 1 GB"
          + " heap; exit 1 when outputs differ.")
  static final class Drift implements Callable<Integer> {
    @ParentCommand BenchCommand bench;

    @Option(names = "--quick", description = "A smoke run: 14 features x 6 days of 20,000 rows, 200 small days.")
    boolean quick;

    @Option(names = "--heap-probe", hidden = true,
        description = "Run only the sketch engine over the small days (profiles stored) and print its figures as JSON.")
    boolean heapProbe;

    @Override
    public Integer call() {
      CliContext ctx = bench.context();
      if (!heapProbe) {
        List<BenchResult> results = new java.util.ArrayList<>();
        drift(ctx, bench.parent.global.conf, quick, results::add);
        return exitCode(results);
      }
      Warehouse warehouse = ownWarehouse(ctx, "drift", ctx.config().config().project());
      DriftBenchmark.Probe p = new DriftBenchmark(warehouse, runs(ctx, warehouse),
          quick ? DriftBenchmark.Scale.quick() : DriftBenchmark.Scale.full()).probe();
      System.out.println(HeapCappedProbe.json(p));
      return 0;
    }

    static void drift(CliContext ctx, String conf, boolean quick, java.util.function.Consumer<BenchResult> report) {
      Warehouse warehouse = ownWarehouse(ctx, "drift", ctx.config().config().project());
      new DriftBenchmark(warehouse, runs(ctx, warehouse), quick ? DriftBenchmark.Scale.quick() : DriftBenchmark.Scale.full())
          .run(ctx.output()::progress, printed(report), () -> HeapCappedProbe.run(conf, quick, DriftBenchmark.HEAP_CAP_MB));
    }
  }

  /** A warehouse of the benchmark's own under {@link #dataDir}, on a session of the CLI's context, with the config's other settings. */
  static Warehouse ownWarehouse(CliContext ctx, String name, String project) {
    PlatformConfig c = ctx.config().config();
    PlatformConfig own = new PlatformConfig(project, new WarehouseConfig(dataDir(ctx, name) + "/warehouse"),
        CatalogConfig.defaults(), c.spark(), c.redis(), c.airflow(), c.features(), c.online(), c.validation(), c.training(),
        c.monitoring(), c.pipelines());
    return Warehouse.of(SparkSessions.newSessionFor(ctx.spark(), own), own);
  }

  /** Run records in {@code warehouse}, for the config file the CLI was given. */
  static RunRecorder runs(CliContext ctx, Warehouse warehouse) {
    ConfigFile file = ctx.config();
    return new RunRecorder(warehouse, new ConfigFile(file.path(), file.displayName(), file.sha256(), warehouse.config()),
        Clock.systemUTC(), CodeVersion.current());
  }

  /** The feature repository of the config (resolved against the config file's folder when relative). */
  static java.nio.file.Path featureRepo(PlatformConfig c) {
    return java.nio.file.Path.of(c.features().repo());
  }

  /** 0 when every result's outputs agreed with its baseline's, else 1 (the mismatches are in the JSON lines). */
  static int exitCode(List<BenchResult> results) {
    return BenchResult.allAgree(results) ? 0 : 1;
  }

  /** Prints each result, then hands it to {@code next}. */
  static java.util.function.Consumer<BenchResult> printed(java.util.function.Consumer<BenchResult> next) {
    return r -> {
      print(r);
      next.accept(r);
    };
  }

  static void print(BenchResult r) {
    try {
      System.out.println(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(r.json()));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    System.out.flush();
  }
}
