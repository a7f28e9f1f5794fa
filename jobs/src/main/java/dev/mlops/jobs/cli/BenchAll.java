package dev.mlops.jobs.cli;

import dev.mlops.benchmarks.BenchResult;
import dev.mlops.benchmarks.MaterializeBenchmark;
import dev.mlops.benchmarks.PitBenchmark;
import dev.mlops.benchmarks.ValidateBenchmark;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code mlops bench all [--quick]}: every benchmark in one process, one JSON line per case on
 * stdout (pit, validate, materialize, score, explain, online, drift), exit 1 when any case's
 * outputs differ from its baseline's. {@code --quick} is a smoke scale: minutes, not hours.
 */
@Command(name = "all", description = "Run every benchmark (pit, validate, materialize, score, explain, online, drift): one"
    + " JSON line per case; exit 1 when any case's outputs differ from its baseline's.")
final class BenchAll implements Callable<Integer> {
  @ParentCommand BenchCommand bench;

  @Option(names = "--quick", description = "A smoke scale that finishes in minutes on 2 cores: pit 200k x 200k, 200k rows to"
      + " validate, 200k events, 100k transactions scored, 20k entities online, drift --quick; each variant once.")
  boolean quick;

  /**
   * The sizes of one run.
   *
   * @param repeat runs of each variant (the fastest counts)
   */
  record Scale(List<PitBenchmark.Case> pit, long validateRows, long events, long scoreRows, long entities, int reads,
      int repeat) {
    static Scale quick() {
      return new Scale(List.of(PitBenchmark.quickCase()), 200_000, 200_000, 100_000, 20_000, 2_000, 1);
    }

    static Scale full() {
      return new Scale(PitBenchmark.defaultCases(), 10_000_000, 10_000_000, 5_000_000, 1_000_000, 100_000, 2);
    }
  }

  @Override
  public Integer call() throws java.io.IOException {
    CliContext ctx = bench.context();
    Scale s = quick ? Scale.quick() : Scale.full();
    List<BenchResult> results = new ArrayList<>();
    Consumer<String> progress = ctx.output()::progress;
    Consumer<BenchResult> report = BenchCommand.printed(results::add);
    progress.accept("bench all" + (quick ? " --quick" : "") + ": pit");
    new PitBenchmark(ctx.spark(), BenchCommand.dataDir(ctx, "pit"), s.repeat()).run(s.pit(), progress, report);
    progress.accept("bench all: validate");
    new ValidateBenchmark(ctx.spark(), BenchCommand.dataDir(ctx, "validate"), s.repeat()).run(s.validateRows(), progress, report);
    progress.accept("bench all: materialize");
    new MaterializeBenchmark(ctx.spark(), BenchCommand.dataDir(ctx, "materialize")).run(s.events(), progress, report);
    progress.accept("bench all: score");
    results.add(BenchCommand.Score.score(ctx, s.scoreRows(), s.repeat()));
    progress.accept("bench all: explain");
    results.add(BenchCommand.Explain.explain(ctx, s.scoreRows(), s.repeat()));
    progress.accept("bench all: online");
    BenchCommand.Online.online(ctx, s.entities(), s.reads(), false, results::add);
    progress.accept("bench all: drift");
    BenchCommand.Drift.drift(ctx, bench.parent.global.conf, quick, results::add);
    List<String> differing = results.stream().filter(r -> !r.agrees()).map(BenchResult::name).toList();
    progress.accept("bench all: " + results.size() + " cases, " + (differing.isEmpty() ? "every output identical to its"
        + " baseline's (or within the tolerance its line states)" : "OUTPUTS DIFFER in " + differing));
    return BenchCommand.exitCode(results);
  }
}
