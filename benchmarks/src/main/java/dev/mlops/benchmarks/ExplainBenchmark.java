package dev.mlops.benchmarks;

import dev.mlops.core.runs.RunRecorder;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.scoring.BatchScorer;
import dev.mlops.scoring.ScoreResult;
import dev.mlops.training.spec.ModelSpecLoader;
import dev.mlops.training.spec.ModelSpecLoader.LoadedSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code mlops bench explain}: the whole scoring job with {@code scoring.explain: top-5} (exact
 * TreeSHAP of every row, its five largest contributions and the base value written beside the
 * score) against the same job without explanations, in the same process on the same data: that
 * of {@link ScoreBenchmark} (the demo generator, the repository's views, a GBT of 20 trees of
 * depth 5), five days scored in one job. The variants alternate; the fastest run of each counts.
 */
public final class ExplainBenchmark {
  /** The contributions kept per row. */
  static final String EXPLAIN = "top-5";

  private final Warehouse warehouse;
  private final RunRecorder runs;
  private final ScoreBenchmark setup;
  private final int repeat;

  /**
   * @param warehouse a warehouse of the benchmark's own (its tables are rewritten)
   * @param runs records the jobs
   * @param featureRepo the feature repository (the demo's views and service)
   * @param repeat runs of each variant; the fastest counts
   */
  public ExplainBenchmark(Warehouse warehouse, RunRecorder runs, Path featureRepo, int repeat) {
    this.warehouse = warehouse;
    this.runs = runs;
    this.setup = new ScoreBenchmark(warehouse, runs, featureRepo, repeat);
    this.repeat = Math.max(1, repeat);
  }

  /** Generates the data, trains the model, and measures both variants on {@code rows} transactions. */
  public BenchResult run(long rows, Consumer<String> progress, Consumer<BenchResult> report) {
    ScoreBenchmark.Prepared p = setup.prepare(rows, progress);
    LoadedSpec explained = new ModelSpecLoader(k -> null).parse(ScoreBenchmark.SPEC + "  explain: " + EXPLAIN + "\n",
        "bench_score.yaml");
    BatchScorer scorer = new BatchScorer(warehouse, p.store(), p.registry());
    double plain = Double.MAX_VALUE;
    double ours = Double.MAX_VALUE;
    ScoreResult last = null;
    dev.mlops.core.tables.TableName table = BatchScorer.predictionsTable(p.spec().spec().name());
    dev.mlops.core.tables.TableVersion plainVersion = null;
    for (int i = 0; i < repeat; i++) {
      progress.accept("scoring without explanations, run " + (i + 1));
      long start = System.nanoTime();
      runs.run("bench.explain.plain", List.of(), r -> scorer.score(p.spec(), ScoreBenchmark.DAY, ScoreBenchmark.LAST, r));
      plain = Math.min(plain, (System.nanoTime() - start) / 1e9);
      plainVersion = warehouse.current(table);
      progress.accept("scoring with explain: " + EXPLAIN + ", run " + (i + 1));
      start = System.nanoTime();
      last = runs.run("bench.explain", List.of(), r -> scorer.score(explained, ScoreBenchmark.DAY, ScoreBenchmark.LAST, r));
      ours = Math.min(ours, (System.nanoTime() - start) / 1e9);
    }
    long explainedRows = warehouse.spark().sql("SELECT count(*) FROM predictions.bench_score WHERE size(explanation) > 0")
        .first().getLong(0);
    OutputComparison comparison = ScoreBenchmark.compare(warehouse.read(warehouse.current(table)), warehouse.read(plainVersion), 5)
        .equal("rows explained", last.rows(), explainedRows);
    if (!comparison.agrees()) {
      progress.accept("explain: OUTPUTS DIFFER: " + comparison.firstMismatches());
    }
    Map<String, Object> details = BenchResult.details("the same scoring job without scoring.explain", comparison);
    details.put("overhead", Math.round(ours / plain * 100) / 100.0);
    details.put("goal_overhead_at_most", 2.0);
    details.put("rows_per_second", Math.round(last.rows() / ours));
    details.put("explain", EXPLAIN);
    details.put("rows_explained", explainedRows);
    details.put("model", "gbt 20 trees depth 5, " + p.model().featureColumns().size() + " features");
    details.put("days_scored", ScoreBenchmark.DAY + " .. " + ScoreBenchmark.LAST);
    BenchResult result = new BenchResult("score+explain " + (rows >= 1_000_000 ? rows / 1_000_000 + "M" : rows / 1_000 + "k"), last.rows(), ours, plain, details);
    report.accept(result);
    return result;
  }
}
