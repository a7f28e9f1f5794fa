package dev.mlops.core.pipeline;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * One row of {@value PipelineRuns#TABLE_NAME}: an attempt of a step of a pipeline for a date, or a
 * range of dates ending at {@code runDate}. Immutable.
 *
 * @param pipeline the pipeline's name
 * @param runDate the day ({@code {{ ds }}}); the last day of a backfill's range for a range step
 * @param rangeStart the first day of the range for a range step; null for a day's step
 * @param step the step's id
 * @param attempt 1, 2, ... for attempts; 0 for a step that was not run (SKIPPED, UPSTREAM_FAILED)
 * @param status the attempt's state
 * @param startedAt when the attempt started
 * @param endedAt when it ended; null while RUNNING
 * @param error the error, or why it was not run; null when it succeeded
 * @param runIds the {@code ops.runs} ids of the jobs it ran, comma-separated; null if none
 * @param command the rendered {@code mlops} arguments
 * @param codeVersion the platform's code version
 */
public record StepRecord(String pipeline, LocalDate runDate, LocalDate rangeStart, String step, int attempt,
    StepStatus status, Instant startedAt, Instant endedAt, String error, String runIds, List<String> command,
    String codeVersion) {
  public StepRecord {
    command = List.copyOf(command);
  }

  /** A copy that ended now with {@code newStatus}, {@code newError} and {@code newRunIds}. */
  public StepRecord ended(StepStatus newStatus, Instant at, String newError, String newRunIds) {
    return new StepRecord(pipeline, runDate, rangeStart, step, attempt, newStatus, startedAt, at, newError, newRunIds,
        command, codeVersion);
  }
}
