package dev.mlops.jobs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.pipeline.StepStatus;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

/**
 * How a step of a pipeline run ended, for the summary. Immutable.
 *
 * @param step the step's id
 * @param runDate its day (the last day of the range for a range step)
 * @param rangeStart the range's first day for a range step, else null
 * @param status how it ended
 * @param attempts the attempts made (0 when it was not run)
 * @param duration the time its attempts took
 * @param rows the rows its result reports, or null
 * @param runIds its {@code ops.runs} ids
 * @param error its error, or why it did not run; null on success
 * @param command the rendered arguments
 * @param result its JSON result document, or null
 */
record StepResult(String step, LocalDate runDate, LocalDate rangeStart, StepStatus status, int attempts, Duration duration,
    Long rows, List<String> runIds, String error, List<String> command, JsonNode result) {

  /** Whether the step failed or could not run because a dependency failed. */
  boolean failed() {
    return status == StepStatus.FAILED || status == StepStatus.UPSTREAM_FAILED;
  }

  /** The rows a command's JSON result reports: its {@code rows} or {@code written}, or their sum over a list. */
  static Long rows(JsonNode result) {
    if (result == null) {
      return null;
    }
    if (result.isArray()) {
      long sum = 0;
      boolean any = false;
      for (JsonNode n : result) {
        Long r = rows(n);
        if (r != null) {
          sum += r;
          any = true;
        }
      }
      return any ? sum : null;
    }
    for (String key : List.of("rows", "written")) {
      if (result.path(key).isNumber()) {
        return result.get(key).asLong();
      }
    }
    for (JsonNode field : result) {
      if (field.isArray()) {
        return rows(field);
      }
    }
    return null;
  }
}
