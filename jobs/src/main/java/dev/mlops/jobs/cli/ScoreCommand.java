package dev.mlops.jobs.cli;

import dev.mlops.scoring.BatchScorer;
import dev.mlops.scoring.ScoreResult;
import dev.mlops.scoring.ShadowComparison;
import dev.mlops.training.spec.ModelSpecLoader.LoadedSpec;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code mlops score}: scores a day (or a range of days) with the Production model, shadow and variants. */
@Command(name = "score",
    description = "Score a day's rows with the Production version (and the Staging one as a shadow, and A/B variants);"
        + " re-running a day replaces it.")
public final class ScoreCommand implements Callable<Integer> {
  @ParentCommand MlopsCommand parent;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "NAME|FILE", description = "A model in training.models, or a spec file.")
  String model;

  @Option(names = "--date", description = "The day to score (yyyy-mm-dd).")
  LocalDate date;

  @Option(names = "--start", description = "First day of a range to score in one pass (with --end).")
  LocalDate start;

  @Option(names = "--end", description = "Last day of the range, included.")
  LocalDate end;

  @Override
  public Integer call() {
    if ((date == null) == (start == null || end == null) || (date != null && (start != null || end != null))) {
      throw CliErrors.scoreDaysUnclear();
    }
    CliContext ctx = new CliContext(parent.global, parent.output());
    ScoreResult r = run(ctx, model, date != null ? date : start, date != null ? date : end,
        spec.commandLine().getParseResult().originalArgs());
    ctx.output().machine(json(r));
    return 0;
  }

  /** Scores as a recorded job and prints the summary for people. */
  static ScoreResult run(CliContext ctx, String model, LocalDate first, LocalDate last, List<String> args) {
    LoadedSpec loaded = ctx.modelSpec(model);
    ctx.output().progress("scoring " + loaded.spec().name() + " for " + (first.equals(last) ? first : first + " .. " + last));
    ScoreResult r = ctx.runs().run("score", args, run -> new BatchScorer(ctx.warehouse(), ctx.featureStore(), ctx.modelRegistry())
        .score(loaded, first, last, run));
    ctx.output().human(describe(r));
    return r;
  }

  static String describe(ScoreResult r) {
    StringBuilder s = new StringBuilder(String.format("%s v%d: %,d rows scored for %s -> %s (Delta version %d); predicted"
        + " positive %.2f%%; rows by role %s", r.model(), r.productionVersion(), r.rows(), r.first().equals(r.last())
        ? r.first() : r.first() + " .. " + r.last(), r.predictions().table(), r.predictions().version(), 100 * r.positiveRate(),
        r.rowsByRole()));
    for (ShadowComparison c : r.shadow()) {
      s.append(String.format("%n  shadow v%d vs v%d on %s: %,d rows, agreement %.2f%%, score correlation %.4f,"
          + " positive rate %.2f%% vs %.2f%%", c.shadowVersion(), c.productionVersion(), c.date(), c.rows(),
          100 * c.agreementRate(), c.scoreCorrelation(), 100 * c.shadowPositiveRate(), 100 * c.productionPositiveRate()));
    }
    return s.toString();
  }

  static Map<String, Object> json(ScoreResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model", r.model());
    m.put("first", r.first().toString());
    m.put("last", r.last().toString());
    m.put("production_version", r.productionVersion());
    m.put("table", r.predictions().table().toString());
    m.put("table_version", r.predictions().version());
    m.put("rows", r.rows());
    m.put("rows_by_role", r.rowsByRole());
    m.put("positive_rate", Double.isNaN(r.positiveRate()) ? null : r.positiveRate());
    m.put("shadow", r.shadow().stream().map(c -> {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("date", c.date().toString());
      x.put("shadow_version", c.shadowVersion());
      x.put("rows", c.rows());
      x.put("agreement_rate", c.agreementRate());
      x.put("score_correlation", Double.isNaN(c.scoreCorrelation()) ? null : c.scoreCorrelation());
      x.put("positive_rate_difference", c.positiveRateDifference());
      return x;
    }).toList());
    return m;
  }
}
