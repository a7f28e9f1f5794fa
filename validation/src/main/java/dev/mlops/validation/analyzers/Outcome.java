package dev.mlops.validation.analyzers;

import dev.mlops.validation.sketches.SketchState;

/**
 * What an analyzer computed: a value (and the row count it is over), a sketch state, or a
 * failure with its reason. A failed analyzer fails only the checks that need it.
 *
 * @param value the metric (NaN for sketches and failures)
 * @param rows the number of rows the value counts (matching rows of a compliance), or -1
 * @param state the sketch, for sketch analyzers
 * @param failure why it could not be computed, or null
 */
public record Outcome(double value, long rows, SketchState<?> state, String failure) {
  public static Outcome of(double value) {
    return new Outcome(value, -1, null, null);
  }

  public static Outcome of(double value, long rows) {
    return new Outcome(value, rows, null, null);
  }

  public static Outcome sketch(SketchState<?> state) {
    return new Outcome(Double.NaN, state.count().orElse(-1), state, null);
  }

  public static Outcome failed(String reason) {
    return new Outcome(Double.NaN, -1, null, reason);
  }

  public boolean failed() {
    return failure != null;
  }
}
