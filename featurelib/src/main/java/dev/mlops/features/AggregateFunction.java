package dev.mlops.features;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The aggregations an aggregation view computes over its trailing windows. */
public enum AggregateFunction {
  /** Number of rows (or of non-null values of the input); 0 for an empty window. */
  COUNT,
  /** Sum of the input; 0 for an empty window. */
  SUM,
  /** Mean of the input; null for an empty window. */
  AVG,
  /** Smallest input value; null for an empty window. */
  MIN,
  /** Largest input value; null for an empty window. */
  MAX,
  /** Sample standard deviation; null with fewer than two values. */
  STDDEV,
  /** Number of distinct input values; 0 for an empty window. Computed exactly. */
  APPROX_COUNT_DISTINCT,
  /**
   * The latest non-null input value (by event time, then created time, then the greater value on a
   * full tie); null for an empty window.
   */
  LAST;

  /** The name in definitions ({@code approx_count_distinct}). */
  public String sqlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether the function needs an input column or expression. */
  public boolean needsInput() {
    return this != COUNT;
  }

  /** The output type for an input of type {@code input} (null for {@code count(*)}). */
  public ValueType outputType(ValueType input) {
    return switch (this) {
      case COUNT, APPROX_COUNT_DISTINCT -> ValueType.BIGINT;
      case SUM, AVG, MIN, MAX, STDDEV -> ValueType.DOUBLE;
      case LAST -> input;
    };
  }

  /** Whether the input must be numeric. */
  public boolean numericInput() {
    return this == SUM || this == AVG || this == MIN || this == MAX || this == STDDEV;
  }

  /** The function named {@code name}. */
  public static Optional<AggregateFunction> parse(String name) {
    if (name == null) {
      return Optional.empty();
    }
    String n = name.strip().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(f -> f.sqlName().equals(n)).findFirst();
  }

  /** The accepted names, for messages. */
  public static String names() {
    return String.join(", ", Arrays.stream(values()).map(AggregateFunction::sqlName).toList());
  }
}
