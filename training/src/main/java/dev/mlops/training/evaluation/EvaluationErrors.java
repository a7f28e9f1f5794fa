package dev.mlops.training.evaluation;

import java.util.List;

/** The user-facing errors of evaluation: each names what is wrong, where, and how to fix it. */
final class EvaluationErrors {
  private EvaluationErrors() {}

  static IllegalArgumentException missingColumn(String role, String column, List<String> present) {
    return new IllegalArgumentException("Cannot evaluate predictions: " + role + " column '" + column
        + "' not found (columns: " + String.join(", ", present) + "); pass the name of one of those columns");
  }

  static IllegalArgumentException wrongType(String role, String column, String type, String fix) {
    return new IllegalArgumentException("Cannot evaluate predictions: " + role + " column '" + column + "' is " + type
        + "; " + fix);
  }

  static IllegalArgumentException duplicateSlice(String column) {
    return new IllegalArgumentException("Cannot evaluate slices: slice column '" + column
        + "' is listed more than once; list each column once");
  }

  static IllegalArgumentException threshold(double threshold) {
    return new IllegalArgumentException("Cannot evaluate at threshold " + threshold
        + ": a threshold is a probability, in [0, 1]");
  }

  static IllegalArgumentException nulls(String role, String column, long rows) {
    return new IllegalArgumentException("Cannot evaluate predictions: " + rows + (rows == 1 ? " row has" : " rows have")
        + " a null " + role + " in column '" + column + "'; filter or fill those rows first (they are not dropped silently)");
  }

  static IllegalArgumentException badLabels(String column, long rows) {
    return new IllegalArgumentException("Cannot evaluate predictions: " + rows + (rows == 1 ? " row has" : " rows have")
        + " a label other than 0 and 1 in column '" + column + "'; labels must be 0/1 numbers or booleans");
  }

  static IllegalArgumentException badProbabilities(String column, long rows) {
    return new IllegalArgumentException("Cannot evaluate predictions: " + rows + (rows == 1 ? " row has" : " rows have")
        + " a probability outside [0, 1] (or NaN) in column '" + column
        + "'; pass P(label = 1), not a raw score or margin");
  }

  static IllegalArgumentException tooManyValues(String column, long values, int max) {
    return new IllegalArgumentException("Cannot evaluate slices: slice column '" + column + "' has " + values
        + " distinct values, more than the " + max + " allowed; slice by a coarser column (bucket this one first)");
  }
}
