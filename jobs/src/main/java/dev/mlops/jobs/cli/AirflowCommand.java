package dev.mlops.jobs.cli;

import dev.mlops.core.config.Durations;
import dev.mlops.monitoring.airflow.AirflowClient;
import dev.mlops.monitoring.airflow.DagRun;
import dev.mlops.monitoring.airflow.PausedPolicy;
import dev.mlops.monitoring.airflow.RunState;
import dev.mlops.monitoring.airflow.TaskInstance;
import dev.mlops.monitoring.airflow.TriggerRequest;
import dev.mlops.monitoring.airflow.TriggerResult;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code mlops airflow ...}: trigger DAG runs and follow them through Airflow's REST API (see
 * {@code docs/AIRFLOW.md}). These commands read the config only; they never start Spark.
 */
@Command(name = "airflow", mixinStandardHelpOptions = true,
    description = "Trigger Airflow DAG runs and follow them (Airflow 2's /api/v1 or Airflow 3's /api/v2).",
    subcommands = {AirflowCommand.Trigger.class, AirflowCommand.Status.class, AirflowCommand.Tasks.class})
public final class AirflowCommand {
  private static final String[] RUN_COLUMNS =
      {"dag_id", "run_id", "state", "run_type", "logical_date", "queued_at", "start_date", "end_date", "duration"};
  private static final String[] TASK_COLUMNS =
      {"task_id", "map_index", "state", "try", "start_date", "end_date", "duration", "operator"};

  @ParentCommand MlopsCommand parent;

  CliContext context() {
    return new CliContext(parent.global, parent.output());
  }

  /** {@code airflow trigger}. */
  @Command(name = "trigger", mixinStandardHelpOptions = true,
      description = "Trigger a run of a DAG; with --wait, wait for it to end and exit 1 if it failed.")
  static final class Trigger implements Callable<Integer> {
    @ParentCommand AirflowCommand airflow;
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DAG", description = "The DAG's id.")
    String dag;

    @Option(names = "--run-conf", paramLabel = "JSON",
        description = "The run's conf, a JSON object, for example '{\"model\": \"fraud\"}' (default: {}).")
    String runConf;

    @Option(names = "--logical-date", paramLabel = "D", converter = LogicalDate.class,
        description = "The run's logical date: yyyy-mm-dd (midnight UTC) or an ISO-8601 date-time with a zone"
            + " (default: none; Airflow 2 then takes the time of the trigger).")
    Instant logicalDate;

    @Option(names = "--run-id", paramLabel = "ID",
        description = "The run's id (default: derived from the DAG, the logical date and the conf). Triggering again with"
            + " the same id starts nothing and reports the existing run.")
    String runId;

    @Option(names = "--require-unpaused", description = "Fail, triggering nothing, if the DAG is paused.")
    boolean requireUnpaused;

    @Option(names = "--unpause", description = "Unpause the DAG first if it is paused.")
    boolean unpause;

    @Option(names = "--wait", description = "Wait for the run to end, then print its tasks; exit 1 if it failed.")
    boolean await;

    @Option(names = "--timeout", paramLabel = "T", converter = Timeout.class,
        description = "With --wait: how long to wait, such as 30m or 2h (default: 1h).")
    Duration timeout;

    @Override
    public Integer call() {
      if (requireUnpaused && unpause) {
        throw new ParameterException(spec.commandLine(), "give --require-unpaused or --unpause, not both");
      }
      if (runId != null && runId.isBlank()) {
        throw new ParameterException(spec.commandLine(), "--run-id is blank");
      }
      if (timeout != null && !await) {
        throw new ParameterException(spec.commandLine(), "--timeout needs --wait");
      }
      TriggerRequest request = TriggerRequest.of().withLogicalDate(logicalDate).withRunId(runId).withPausedPolicy(
          requireUnpaused ? PausedPolicy.REQUIRE_UNPAUSED : unpause ? PausedPolicy.UNPAUSE : PausedPolicy.WARN);
      if (runConf != null) {
        try {
          request = request.withConfJson(runConf);
        } catch (IllegalArgumentException e) {
          throw new ParameterException(spec.commandLine(), "--run-conf: " + e.getMessage());
        }
      }
      CliContext ctx = airflow.context();
      Output out = ctx.output();
      AirflowClient client = ctx.airflowClient();
      out.progress("triggering DAG " + dag);
      TriggerResult result = client.trigger(dag, request);
      if (result.unpaused()) {
        out.progress("unpaused DAG " + dag);
      }
      result.warnings().forEach(out::warning);
      DagRun run = result.run();
      out.progress(result.existing() ? "run " + run.runId() + " already existed: nothing new was triggered"
          : "triggered run " + run.runId());
      List<TaskInstance> tasks = null;
      if (await) {
        Duration limit = timeout != null ? timeout : Duration.ofHours(1);
        out.progress("waiting up to " + Durations.format(limit) + " for run " + run.runId() + " to end");
        run = client.waitFor(dag, run.runId(), limit, r -> out.progress("run " + r.runId() + ": " + r.state().apiValue()));
        tasks = client.tasks(dag, run.runId());
      }
      out.human(runTable(run));
      if (tasks != null) {
        out.human(taskTable(tasks));
      }
      Map<String, Object> json = runJson(run);
      json.put("existing", result.existing());
      json.put("unpaused", result.unpaused());
      json.put("warnings", result.warnings());
      if (tasks != null) {
        json.put("tasks", tasksJson(tasks));
      }
      out.machine(json);
      return await && run.state() == RunState.FAILED ? 1 : 0;
    }
  }

  /** {@code airflow status}. */
  @Command(name = "status", mixinStandardHelpOptions = true, description = "Show a DAG run: its state, dates and conf.")
  static final class Status implements Callable<Integer> {
    @ParentCommand AirflowCommand airflow;

    @Parameters(index = "0", paramLabel = "DAG", description = "The DAG's id.")
    String dag;

    @Parameters(index = "1", paramLabel = "RUN_ID", description = "The run's id.")
    String runId;

    @Override
    public Integer call() {
      CliContext ctx = airflow.context();
      DagRun run = ctx.airflowClient().run(dag, runId);
      ctx.output().human(runTable(run));
      ctx.output().machine(runJson(run));
      return 0;
    }
  }

  /** {@code airflow tasks}. */
  @Command(name = "tasks", mixinStandardHelpOptions = true,
      description = "List a DAG run's task instances: state, try number, start, end, duration.")
  static final class Tasks implements Callable<Integer> {
    @ParentCommand AirflowCommand airflow;

    @Parameters(index = "0", paramLabel = "DAG", description = "The DAG's id.")
    String dag;

    @Parameters(index = "1", paramLabel = "RUN_ID", description = "The run's id.")
    String runId;

    @Override
    public Integer call() {
      CliContext ctx = airflow.context();
      List<TaskInstance> tasks = ctx.airflowClient().tasks(dag, runId);
      ctx.output().human(taskTable(tasks));
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("dag_id", dag);
      json.put("run_id", runId);
      json.put("tasks", tasksJson(tasks));
      ctx.output().machine(json);
      return 0;
    }
  }

  static String runTable(DagRun r) {
    return TablePrinter.render(RUN_COLUMNS, List.of(RowFactory.create(r.dagId(), r.runId(), r.state().apiValue(),
        r.runType(), r.logicalDate(), r.queuedAt(), r.startDate(), r.endDate(), seconds(r.duration()))));
  }

  static String taskTable(List<TaskInstance> tasks) {
    List<Row> rows = new ArrayList<>();
    for (TaskInstance t : tasks) {
      rows.add(RowFactory.create(t.taskId(), t.mapIndex(), t.state().apiValue(), t.tryNumber(), t.startDate(), t.endDate(),
          seconds(t.duration()), t.operator()));
    }
    return TablePrinter.render(TASK_COLUMNS, rows);
  }

  static Map<String, Object> runJson(DagRun r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("dag_id", r.dagId());
    m.put("run_id", r.runId());
    m.put("state", r.state().apiValue());
    m.put("run_type", r.runType());
    m.put("logical_date", text(r.logicalDate()));
    m.put("queued_at", text(r.queuedAt()));
    m.put("start_date", text(r.startDate()));
    m.put("end_date", text(r.endDate()));
    m.put("duration_seconds", seconds(r.duration()));
    m.put("conf", r.conf());
    return m;
  }

  static List<Map<String, Object>> tasksJson(List<TaskInstance> tasks) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (TaskInstance t : tasks) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("task_id", t.taskId());
      m.put("map_index", t.mapIndex());
      m.put("state", t.state().apiValue());
      m.put("try_number", t.tryNumber());
      m.put("max_tries", t.maxTries());
      m.put("start_date", text(t.startDate()));
      m.put("end_date", text(t.endDate()));
      m.put("duration_seconds", seconds(t.duration()));
      m.put("operator", t.operator());
      list.add(m);
    }
    return list;
  }

  private static String text(Instant i) {
    return i == null ? null : i.toString();
  }

  private static Double seconds(Duration d) {
    return d == null ? null : d.toNanos() / 1e9;
  }

  /** {@code yyyy-mm-dd} as midnight UTC, or an ISO-8601 date-time with a zone. */
  static final class LogicalDate implements ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
      try {
        return value.length() == 10 ? LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC)
            : OffsetDateTime.parse(value).toInstant();
      } catch (DateTimeParseException e) {
        throw new TypeConversionException("expected yyyy-mm-dd or a date-time with a zone such as 2026-12-01T00:00:00Z,"
            + " got \"" + value + "\"");
      }
    }
  }

  /** A duration such as {@code 90s}, {@code 30m} or {@code 2h}. */
  static final class Timeout implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return Durations.parse(value).orElseThrow(() -> new TypeConversionException(
          "expected a duration such as 90s, 30m or 2h, got \"" + value + "\""));
    }
  }
}
