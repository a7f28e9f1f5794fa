package dev.mlops.monitoring.engines;

import dev.mlops.core.runs.JobRun;
import dev.mlops.monitoring.ColumnDrift;
import dev.mlops.monitoring.DriftInput;
import dev.mlops.monitoring.DriftJudge;
import java.util.List;

/**
 * How a drift run gets each column's two distributions: from stored sketches
 * ({@link SketchDriftEngine}), or by scanning the rows ({@code exact}). Every engine gives the same
 * metrics for the same input; the sketch engine within the sketches' rank error.
 *
 * <p>Implementations are immutable and thread-safe as far as the session is.
 */
public interface DriftEngine {
  /** The engine's name in results and on the command line: {@code sketch}, {@code exact}. */
  String name();

  /**
   * The drift of every column of {@code input} in each of its partitions, in partition order, then
   * column order.
   *
   * @param judge the metrics and thresholds
   * @param run the run to record reads and writes of (profiles stored) in
   */
  List<ColumnDrift> compare(DriftInput input, DriftJudge judge, JobRun run);
}
