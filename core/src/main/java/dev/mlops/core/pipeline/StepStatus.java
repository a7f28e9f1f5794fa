package dev.mlops.core.pipeline;

/** The state of one attempt of a pipeline step, as {@value PipelineRuns#TABLE_NAME} records it. */
public enum StepStatus {
  /** Started, not ended (or its process was killed). */
  RUNNING,
  /** Ended with exit code 0. */
  SUCCEEDED,
  /** Ended with an error, a non-zero exit code, or its timeout. */
  FAILED,
  /** Not run: it had succeeded for that date already (run again with {@code --force}). */
  SKIPPED,
  /** Not run: a step it depends on failed. */
  UPSTREAM_FAILED
}
