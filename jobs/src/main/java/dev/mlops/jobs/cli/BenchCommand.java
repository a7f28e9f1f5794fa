package dev.mlops.jobs.cli;

import dev.mlops.benchmarks.BenchResult;
import dev.mlops.benchmarks.PitBenchmark;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code mlops bench ...}: benchmarks. Each prints one JSON line per case on stdout, ours against
 * a baseline measured in the same process; progress goes to stderr.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Run a benchmark: ours against baselines, side by side.",
    subcommands = {BenchCommand.Pit.class, BenchCommand.Materialize.class})
public final class BenchCommand {
  @ParentCommand MlopsCommand parent;

  CliContext context() {
    return new CliContext(parent.global, new Output(System.out, System.err, parent.global.json));
  }

  static String dataDir(CliContext ctx, String name) {
    return ctx.config().config().warehouse().uri() + "/_bench/" + name;
  }

  /** {@code bench pit}. */
  @Command(name = "pit", mixinStandardHelpOptions = true,
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
      new PitBenchmark(ctx.spark(), dataDir(ctx, "pit"), repeat).run(selected, out::progress, r -> print(r));
      return 0;
    }
  }

  /** {@code bench materialize}. */
  @Command(name = "materialize", mixinStandardHelpOptions = true,
      description = "An aggregation view with four windows over 10M events, in one pass against one job per window.")
  static final class Materialize implements Callable<Integer> {
    @ParentCommand BenchCommand bench;

    @Option(names = "--events", defaultValue = "10000000", description = "Events (default: ${DEFAULT-VALUE}).")
    long events;

    @Override
    public Integer call() {
      CliContext ctx = bench.context();
      Output out = ctx.output();
      new dev.mlops.benchmarks.MaterializeBenchmark(ctx.spark(), dataDir(ctx, "materialize"))
          .run(events, out::progress, BenchCommand::print);
      return 0;
    }
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
