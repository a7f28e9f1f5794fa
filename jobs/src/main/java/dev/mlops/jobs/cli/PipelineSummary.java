package dev.mlops.jobs.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/** The end of a pipeline run: a table for people, one JSON document for machines. Stateless. */
final class PipelineSummary {
  private PipelineSummary() {}

  /** Prints the summary of {@code results} and returns the exit code: 1 when a step failed or was stopped. */
  static int print(Output out, String pipeline, List<StepResult> results) {
    human(out, results);
    List<StepResult> failed = results.stream().filter(r -> r.status() == dev.mlops.core.pipeline.StepStatus.FAILED).toList();
    List<String> stopped = results.stream().filter(r -> r.status() == dev.mlops.core.pipeline.StepStatus.UPSTREAM_FAILED)
        .map(StepResult::step).distinct().toList();
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("pipeline", pipeline);
    json.put("status", failed.isEmpty() && stopped.isEmpty() ? "SUCCEEDED" : "FAILED");
    json.put("failed", failed.stream().map(StepResult::step).distinct().toList());
    json.put("upstream_failed", stopped);
    json.put("steps", results.stream().map(PipelineSummary::json).toList());
    out.machine(json);
    if (!failed.isEmpty()) {
      out.error("pipeline " + pipeline + ": step " + failed.get(0).step() + " failed: " + failed.get(0).error()
          + (stopped.isEmpty() ? "" : "; it stopped " + String.join(", ", stopped)));
    }
    return failed.isEmpty() && stopped.isEmpty() ? 0 : 1;
  }

  /** Prints the table of {@code results}, the failed steps and those they stopped, for people. */
  static void human(Output out, List<StepResult> results) {
    List<Row> rows = new ArrayList<>();
    for (StepResult r : results) {
      rows.add(RowFactory.create(r.step(), r.rangeStart() == null ? r.runDate().toString() : r.rangeStart() + ".." + r.runDate(),
          r.status().name(), r.attempts(), String.format("%.1fs", r.duration().toMillis() / 1000.0), r.rows() == null ? ""
          : String.format("%,d", r.rows()), String.join(",", r.runIds())));
    }
    out.human(TablePrinter.render(new String[] {"step", "date", "status", "attempts", "duration", "rows", "run id"}, rows));
    List<StepResult> failed = results.stream().filter(r -> r.status() == dev.mlops.core.pipeline.StepStatus.FAILED).toList();
    List<String> stopped = results.stream().filter(r -> r.status() == dev.mlops.core.pipeline.StepStatus.UPSTREAM_FAILED)
        .map(StepResult::step).distinct().toList();
    for (StepResult f : failed) {
      out.human("FAILED: step " + f.step() + " (" + f.runDate() + "): " + f.error());
    }
    if (!stopped.isEmpty()) {
      out.human("not run because a step they depend on failed: " + String.join(", ", stopped));
    }
  }

  static Map<String, Object> json(StepResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("step", r.step());
    m.put("run_date", r.runDate().toString());
    m.put("range_start", r.rangeStart() == null ? null : r.rangeStart().toString());
    m.put("status", r.status().name());
    m.put("attempts", r.attempts());
    m.put("duration_ms", r.duration().toMillis());
    m.put("rows", r.rows());
    m.put("run_ids", r.runIds());
    m.put("error", r.error());
    m.put("command", r.command());
    m.put("result", r.result());
    return m;
  }
}
