package dev.mlops.validation.analyzers;

import java.util.List;

/**
 * What to compute over a table: a metric (a completeness, a mean) or a sketch (quantiles, a
 * distinct count). Analyzers are values: two equal analyzers are computed once, however many
 * checks need them. Implementations are records; thread-safe.
 */
public interface Analyzer extends java.io.Serializable {
  /** The analyzer's name in {@code validation.metrics}: {@code completeness}, {@code mean}, ... */
  String name();

  /** The column (or key columns, comma-separated) it describes; {@code *} for the table. */
  String column();

  /** The input columns it reads; a missing one makes the analyzer fail with that column's name. */
  List<String> inputs();
}
