package dev.mlops.training.spec;

import dev.mlops.core.config.ConfigValueException;
import java.util.List;

/**
 * The spec's {@code monitoring.rollback} policy: when the matured performance of the Production
 * version breaches a bound on {@code partitions} consecutive days, roll back to the previous
 * Production version (see {@code docs/MONITORING.md}, "Rollback on degradation"). Immutable and
 * thread-safe.
 *
 * @param minValue a day breaches when the monitored metric is below this (for {@code log_loss}:
 *     above it); null for no absolute bound
 * @param marginBelowPrevious a day breaches when the metric is more than this below the previous
 *     Production version's test figure (for {@code log_loss}: above); null for no relative bound
 * @param partitions how many consecutive matured days must breach (default 3)
 * @param mode {@code act} (default: roll back) or {@code dry-run} (record the decision only)
 */
public record RollbackSpec(Double minValue, Double marginBelowPrevious, Integer partitions, String mode) {
  /** The modes. */
  public static final List<String> MODES = List.of("act", "dry-run");

  public RollbackSpec {
    if (minValue == null && marginBelowPrevious == null) {
      throw new ConfigValueException("min-value", "give min-value, margin-below-previous or both: the bound a matured day"
          + " breaches");
    }
    if (marginBelowPrevious != null && (!(marginBelowPrevious >= 0) || marginBelowPrevious.isInfinite())) {
      throw new ConfigValueException("margin-below-previous", "expected a number at least 0, got " + marginBelowPrevious);
    }
    partitions = partitions == null ? 3 : partitions;
    if (partitions < 1) {
      throw new ConfigValueException("partitions", "expected a number of days at least 1, got " + partitions);
    }
    mode = mode == null ? "act" : mode.strip();
    if (!MODES.contains(mode)) {
      throw new ConfigValueException("mode", "expected act or dry-run, got \"" + mode + "\"");
    }
  }

  /** Whether the decision is recorded without rolling back. */
  public boolean dryRun() {
    return mode.equals("dry-run");
  }
}
