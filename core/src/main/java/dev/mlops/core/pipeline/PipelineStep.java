package dev.mlops.core.pipeline;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One step of a {@link PipelineDefinition}: an {@code mlops} command line (templated), the steps it
 * runs after, and how it is retried and bounded. Defaults of the pipeline are already applied.
 * Immutable.
 *
 * @param id the step's id, unique in its pipeline
 * @param command the arguments of {@code mlops} for one day, templates unrendered
 * @param rangeCommand the arguments for a range of days ({@code {{ start }}}, {@code {{ end }}}), or empty
 * @param after the ids of the steps that must succeed first
 * @param retries how many times a failed attempt is retried
 * @param retryDelay the pause before a retry
 * @param timeout how long an attempt may run; null for no limit
 * @param pool the Airflow pool (informational for the local runner); null for none
 */
public record PipelineStep(String id, List<String> command, List<String> rangeCommand, List<String> after, int retries,
    Duration retryDelay, Duration timeout, String pool) {
  public PipelineStep {
    Objects.requireNonNull(id, "id == null");
    command = List.copyOf(command);
    rangeCommand = rangeCommand == null ? List.of() : List.copyOf(rangeCommand);
    after = after == null ? List.of() : List.copyOf(after);
    Objects.requireNonNull(retryDelay, "retryDelay == null");
  }

  /** Whether the step has a command for a range of days. */
  public boolean hasRange() {
    return !rangeCommand.isEmpty();
  }

  /** A copy with these retry settings (tests and {@code --retry-delay}). */
  public PipelineStep withRetries(int newRetries, Duration newDelay) {
    return new PipelineStep(id, command, rangeCommand, after, newRetries, newDelay, timeout, pool);
  }
}
