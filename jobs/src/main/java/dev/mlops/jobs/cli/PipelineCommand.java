package dev.mlops.jobs.cli;

import dev.mlops.core.CodeVersion;
import dev.mlops.core.PlatformException;
import dev.mlops.core.pipeline.PipelineDefinition;
import dev.mlops.core.pipeline.PipelineLoader;
import dev.mlops.core.pipeline.PipelineRuns;
import dev.mlops.core.pipeline.PipelineStep;
import dev.mlops.core.pipeline.Templates;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code mlops pipeline ...}: the pipelines of {@code conf/pipelines} run in this JVM, without
 * Airflow; see {@code docs/PIPELINES.md}.
 */
@Command(name = "pipeline", description = "Run, backfill, check, list and show the pipelines of conf/pipelines, in-process.",
    subcommands = {PipelineCommand.Run.class, PipelineCommand.Backfill.class, PipelineCommand.Check.class,
        PipelineCommand.ListPipelines.class, PipelineCommand.Show.class})
public final class PipelineCommand {
  @ParentCommand MlopsCommand parent;

  CliContext context() {
    return new CliContext(parent.global, parent.output());
  }

  /** The pipeline {@code name} (or file) of the config's {@code pipelines} folder, with {@code params} overriding. */
  static PipelineDefinition load(CliContext ctx, String name, Map<String, String> params) {
    return new PipelineLoader().find(Path.of(ctx.config().config().pipelines()), name).withParams(params);
  }

  /** Options of the commands that run steps. */
  static final class RunOptions {
    @Option(names = "--param", paramLabel = "NAME=VALUE", description = "Override a param of the pipeline (repeatable).")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--force", description = "Run the steps that already succeeded for the date too.")
    boolean force;

    @Option(names = "--from", paramLabel = "STEP", description = "Run this step and the steps that depend on it.")
    String from;

    @Option(names = "--only", paramLabel = "STEP", description = "Run only this step (repeatable).")
    List<String> only = new ArrayList<>();

    @Option(names = "--until", paramLabel = "STEP", description = "Run this step and the steps it depends on.")
    String until;

    PipelineRunner.Selection selection() {
      return new PipelineRunner.Selection(from, only, until);
    }
  }

  /** {@code pipeline run}. */
  @Command(name = "run", description = "Run a pipeline for a day: its steps in dependency order in this JVM, state in"
      + " ops.pipeline_runs; steps that succeeded for the day are skipped; exit 1 when a step fails.")
  static final class Run implements Callable<Integer>, DryRun.OwnDryRun {
    @ParentCommand PipelineCommand pipeline;
    @Parameters(index = "0", paramLabel = "PIPELINE", description = "A pipeline's name (nightly) or file.") String name;
    @Option(names = "--date", required = true, description = "The day, {{ ds }} (yyyy-mm-dd).") LocalDate date;
    @Mixin RunOptions options;

    @Override
    public Integer call() {
      CliContext ctx = pipeline.context();
      PipelineDefinition p = load(ctx, name, options.params);
      if (ctx.options().dryRun) {
        return Check.report(ctx.output(), List.of(Check.check(ctx, p, date)));
      }
      ctx.output().progress("running pipeline " + p.name() + " for " + date + " (" + p.source() + ")");
      // The runner records its steps between the steps' runs: the whole pipeline is one writer.
      try (var admitted = ctx.writerGuard().enter("pipeline " + p.name())) {
        return PipelineSummary.print(ctx.output(), p.name(), runner(ctx).run(p, date, options.selection(), options.force));
      }
    }
  }

  /** {@code pipeline backfill}. */
  @Command(name = "backfill", description = "Run a pipeline over a range of days: the steps with a range-command once over"
      + " the range, then the other steps day by day in date order; exit 1 when a step fails.")
  static final class Backfill implements Callable<Integer>, DryRun.OwnDryRun {
    @ParentCommand PipelineCommand pipeline;
    @Parameters(index = "0", paramLabel = "PIPELINE", description = "A pipeline's name (nightly) or file.") String name;
    @Option(names = "--start", required = true, description = "First day (yyyy-mm-dd).") LocalDate start;
    @Option(names = "--end", required = true, description = "Last day, included.") LocalDate end;
    @Mixin RunOptions options;

    @Override
    public Integer call() {
      CliContext ctx = pipeline.context();
      PipelineDefinition p = load(ctx, name, options.params);
      if (ctx.options().dryRun) {
        return Check.report(ctx.output(), List.of(Check.check(ctx, p, end)));
      }
      ctx.output().progress("backfilling pipeline " + p.name() + " for " + start + " .. " + end + " (" + p.source() + ")");
      try (var admitted = ctx.writerGuard().enter("pipeline " + p.name())) {
        return PipelineSummary.print(ctx.output(), p.name(), runner(ctx).backfill(p, start, end, options.selection(),
            options.force));
      }
    }
  }

  static PipelineRunner runner(CliContext ctx) {
    dev.mlops.core.tables.Warehouse warehouse = ctx.warehouse();
    StepExecutor executor = new StepExecutor(ctx.options(), ctx.output().err(), warehouse.spark().sparkContext());
    return new PipelineRunner(new PipelineRuns(warehouse, Clock.systemUTC()), executor, ctx.output(), Clock.systemUTC(),
        CodeVersion.current());
  }

  /** {@code pipeline check}. */
  @Command(name = "check", description = "Dry-run every step of the pipelines (default: all of conf/pipelines) with a"
      + " sample date, without Spark; exit 1 naming each pipeline and step that would fail.")
  static final class Check implements Callable<Integer>, DryRun.OwnDryRun {
    @ParentCommand PipelineCommand pipeline;
    @Parameters(arity = "0..*", paramLabel = "PIPELINE", description = "Pipelines' names or files (default: all).")
    List<String> names = new ArrayList<>();
    @Option(names = "--date", description = "The sample day (default: yesterday, UTC).") LocalDate date;

    @Override
    public Integer call() {
      CliContext ctx = pipeline.context();
      LocalDate day = date != null ? date : LocalDate.now(ZoneOffset.UTC).minusDays(1);
      List<String> targets = names.isEmpty() ? new PipelineLoader().files(Path.of(ctx.config().config().pipelines()))
          .stream().map(Path::toString).toList() : names;
      if (targets.isEmpty()) {
        throw CliErrors.noPipelines(ctx.config().config().pipelines());
      }
      List<Checked> checked = new ArrayList<>();
      for (String target : targets) {
        try {
          checked.add(check(ctx, load(ctx, target, Map.of()), day));
        } catch (PlatformException e) {
          checked.add(new Checked(target, 0, List.of("pipeline " + target + ": " + e.getMessage())));
        }
      }
      return report(ctx.output(), checked);
    }

    /** A pipeline's steps checked: how many, and the problems found. */
    record Checked(String pipeline, int steps, List<String> problems) {}

    /** Dry-runs every step of {@code p}: its command for {@code day}, its range-command for the 7 days to it. */
    static Checked check(CliContext ctx, PipelineDefinition p, LocalDate day) {
      StepExecutor executor = new StepExecutor(ctx.options(), ctx.output().err(), null);
      List<String> problems = new ArrayList<>();
      for (PipelineStep s : p.steps()) {
        String where = "pipeline " + p.name() + ", step " + s.id();
        List<List<String>> commands = new ArrayList<>(List.of(Templates.render(s.command(), Templates.Values.day(day,
            p.params()), where)));
        if (s.hasRange()) {
          commands.add(Templates.render(s.rangeCommand(), Templates.Values.range(day.minusDays(6), day, p.params()), where));
        }
        for (List<String> command : commands) {
          StepExecutor.Outcome o = executor.dryRun(command);
          if (!o.succeeded()) {
            problems.add(where + (command == commands.get(0) ? "" : " (range-command)") + ": mlops " + String.join(" ",
                command) + ": " + o.error());
          }
        }
      }
      return new Checked(p.name(), p.steps().size(), problems);
    }

    static int report(Output out, List<Checked> checked) {
      List<String> all = new ArrayList<>();
      for (Checked c : checked) {
        out.human(c.pipeline() + ": " + (c.problems().isEmpty() ? "OK (" + c.steps() + " steps)" : c.problems().size()
            + " problem(s)"));
        c.problems().forEach(p -> out.human("  " + p));
        all.addAll(c.problems());
      }
      out.machine(Map.of("pipelines", checked.stream().map(c -> Map.of("pipeline", c.pipeline(), "steps", c.steps(),
          "problems", c.problems())).toList(), "ok", all.isEmpty()));
      if (!all.isEmpty()) {
        out.err().println("error: " + all.size() + " problem(s) in the pipelines: " + all.get(0));
      }
      return all.isEmpty() ? 0 : 1;
    }
  }

  /** {@code pipeline list}. */
  @Command(name = "list", description = "List the pipelines of conf/pipelines.")
  static final class ListPipelines implements Callable<Integer> {
    @ParentCommand PipelineCommand pipeline;

    @Override
    public Integer call() {
      CliContext ctx = pipeline.context();
      List<Row> rows = new ArrayList<>();
      List<Map<String, Object>> json = new ArrayList<>();
      for (Path file : new PipelineLoader().files(Path.of(ctx.config().config().pipelines()))) {
        PipelineDefinition p = new PipelineLoader().load(file, file.toString());
        rows.add(RowFactory.create(p.name(), p.schedule() == null ? "-" : p.schedule(), p.steps().size(), file.toString()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pipeline", p.name());
        m.put("schedule", p.schedule());
        m.put("steps", p.stepIds());
        m.put("params", p.params());
        m.put("file", file.toString());
        m.put("description", p.description());
        json.add(m);
      }
      ctx.output().human(TablePrinter.render(new String[] {"pipeline", "schedule", "steps", "file"}, rows));
      ctx.output().machine(json);
      return 0;
    }
  }

  /** {@code pipeline show}. */
  @Command(name = "show", description = "Show a pipeline's steps, dependencies and commands rendered for a day.")
  static final class Show implements Callable<Integer> {
    @ParentCommand PipelineCommand pipeline;
    @Parameters(index = "0", paramLabel = "PIPELINE", description = "A pipeline's name or file.") String name;
    @Option(names = "--date", description = "The day to render for (default: yesterday, UTC).") LocalDate date;
    @Option(names = "--param", paramLabel = "NAME=VALUE", description = "Override a param (repeatable).")
    Map<String, String> params = new LinkedHashMap<>();

    @Override
    public Integer call() {
      CliContext ctx = pipeline.context();
      PipelineDefinition p = load(ctx, name, params);
      LocalDate day = date != null ? date : LocalDate.now(ZoneOffset.UTC).minusDays(1);
      Output out = ctx.output();
      out.human(p.name() + " (" + p.source() + "): " + (p.description() == null ? "" : p.description()));
      out.human("  schedule: " + (p.schedule() == null ? "none (triggered)" : p.schedule()) + "; params: " + p.params());
      List<Row> rows = new ArrayList<>();
      List<Map<String, Object>> steps = new ArrayList<>();
      for (String id : new dev.mlops.core.pipeline.PipelineGraph(p.steps()).order()) {
        PipelineStep s = p.step(id).orElseThrow();
        List<String> command = Templates.render(s.command(), Templates.Values.day(day, p.params()), p.source() + ": step " + id);
        List<String> range = Templates.render(s.rangeCommand(), Templates.Values.range(day, day, p.params()), p.source());
        rows.add(RowFactory.create(id, String.join(", ", s.after()), String.join(" ", command), s.retries(),
            s.timeout() == null ? "-" : dev.mlops.core.config.Durations.format(s.timeout())));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("after", s.after());
        m.put("command", command);
        m.put("range_command", range.isEmpty() ? null : range);
        m.put("retries", s.retries());
        m.put("timeout", s.timeout() == null ? null : dev.mlops.core.config.Durations.format(s.timeout()));
        m.put("pool", s.pool());
        steps.add(m);
      }
      out.human(TablePrinter.render(new String[] {"step", "after", "command (" + day + ")", "retries", "timeout"}, rows));
      out.machine(Map.of("pipeline", p.name(), "date", day.toString(), "params", p.params(), "steps", steps));
      return 0;
    }
  }
}
