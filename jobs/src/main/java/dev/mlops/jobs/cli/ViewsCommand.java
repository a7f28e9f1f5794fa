package dev.mlops.jobs.cli;

import dev.mlops.core.views.AnalystViews;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code mlops views create}: the analysts' views over the platform's tables. */
@Command(name = "views", description = "The analysts' views over the platform's tables (docs/TABLES.md).",
    subcommands = {ViewsCommand.Create.class})
public final class ViewsCommand implements Runnable {
  @ParentCommand MlopsCommand parent;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "Missing a subcommand: views create");
  }

  /** Creates or replaces every view whose tables exist; prints what it made and what it skipped. */
  static Map<String, Object> create(CliContext ctx, Output out) {
    out.progress("creating the analysts' views");
    AnalystViews.Created result = AnalystViews.create(ctx.spark());
    result.created().forEach(v -> out.human("created " + v));
    result.skipped().forEach((v, why) -> out.human("skipped " + v + ": " + why));
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("created", result.created());
    json.put("skipped", result.skipped());
    return json;
  }

  /** {@code mlops views create}. */
  @Command(name = "create", description = "Create or replace ml.prediction_lineage, monitoring.drift_latest and"
      + " validation.check_history (idempotent; run again after a new model's first scoring).")
  static final class Create implements Callable<Integer> {
    @ParentCommand ViewsCommand views;

    @Override
    public Integer call() {
      Output out = views.parent.output();
      Map<String, Object> json = create(new CliContext(views.parent.global, out), out);
      out.machine(json);
      return ((List<?>) json.get("created")).isEmpty() ? 1 : 0;
    }
  }
}
