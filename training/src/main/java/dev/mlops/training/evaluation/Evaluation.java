package dev.mlops.training.evaluation;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of {@link BinaryEvaluator#evaluate}: metrics of all rows, a calibration table and
 * metrics per slice value. Immutable and thread-safe.
 *
 * @param overall the metrics of all rows
 * @param calibration the calibration bins in order (from {@code evaluate}: all 10, empty ones too)
 * @param slices per slice column in the order asked for, its values in string order
 */
public record Evaluation(BinaryMetrics overall, List<CalibrationBin> calibration, List<SliceMetrics> slices) {
  /** Checks that nothing is null and copies the lists. */
  public Evaluation {
    Objects.requireNonNull(overall, "overall == null");
    calibration = List.copyOf(calibration);
    slices = List.copyOf(slices);
  }

  /** The metrics of the rows whose {@code column} is {@code value} (null as {@code "(null)"}), if that slice exists. */
  public Optional<SliceMetrics> slice(String column, String value) {
    return slices.stream().filter(s -> s.column().equals(column) && s.value().equals(value)).findFirst();
  }
}
