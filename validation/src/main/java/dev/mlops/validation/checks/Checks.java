package dev.mlops.validation.checks;

import dev.mlops.core.spark.Identifiers;
import dev.mlops.validation.Severity;
import dev.mlops.validation.analyzers.Completeness;
import dev.mlops.validation.analyzers.Compliance;
import dev.mlops.validation.analyzers.Mean;
import dev.mlops.validation.analyzers.Size;
import dev.mlops.validation.analyzers.SketchAnalyzer;
import dev.mlops.validation.analyzers.StandardDeviation;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The checks, built in Java: {@code Checks.nonNegative("amount").quarantined()}. Every check is
 * error-level unless given {@code withSeverity(Severity.WARNING)}; names default to
 * {@code type(column)}.
 */
public final class Checks {
  private Checks() {}

  /** The number of rows within bounds. */
  public static MetricCheck rowCount(Long min, Long max) {
    Bounds b = new Bounds(min == null ? null : min.doubleValue(), max == null ? null : max.doubleValue());
    return new MetricCheck("row-count", "row-count", Severity.ERROR, new Size(), new Reading.Value(), b);
  }

  /** The share of non-null values of {@code column} at least {@code min}. */
  public static MetricCheck completeness(String column, double min) {
    return new MetricCheck("completeness(" + column + ")", "completeness", Severity.ERROR, new Completeness(column),
        new Reading.Value(), new Bounds(min, 1.0));
  }

  /** No null in {@code column} (row-level). */
  public static RowLevelCheck notNull(String column) {
    return row("not-null", column, Identifiers.quote(column) + " IS NOT NULL");
  }

  /** No duplicate key among the rows. */
  public static UniqueCheck unique(List<String> columns) {
    return new UniqueCheck("unique(" + String.join(",", columns) + ")", Severity.ERROR, columns, false);
  }

  /** No null key column and no duplicate key. */
  public static UniqueCheck primaryKey(List<String> columns) {
    return new UniqueCheck("primary-key(" + String.join(",", columns) + ")", Severity.ERROR, columns, true);
  }

  /** {@code column >= 0} or null (row-level). */
  public static RowLevelCheck nonNegative(String column) {
    return row("non-negative", column, Identifiers.quote(column) + " IS NULL OR " + Identifiers.quote(column) + " >= 0");
  }

  /** {@code column >= value} or null (row-level). */
  public static RowLevelCheck min(String column, double value) {
    return row("min", column, Identifiers.quote(column) + " IS NULL OR " + Identifiers.quote(column) + " >= " + sql(value));
  }

  /** {@code column <= value} or null (row-level). */
  public static RowLevelCheck max(String column, double value) {
    return row("max", column, Identifiers.quote(column) + " IS NULL OR " + Identifiers.quote(column) + " <= " + sql(value));
  }

  /** {@code min <= column <= max} or null (row-level). */
  public static RowLevelCheck range(String column, double min, double max) {
    new Bounds(min, max);
    return row("range", column, Identifiers.quote(column) + " IS NULL OR " + Identifiers.quote(column) + " BETWEEN " + sql(min)
        + " AND " + sql(max));
  }

  /** The value's text is one of {@code values}, or null (row-level). */
  public static RowLevelCheck allowedValues(String column, List<String> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("needs at least one allowed value");
    }
    return row("allowed-values", column, Identifiers.quote(column) + " IS NULL OR CAST(" + Identifiers.quote(column) + " AS STRING) IN ("
        + values.stream().map(Checks::literal).collect(Collectors.joining(", ")) + ")");
  }

  /** The value's text matches the Java regular expression {@code regex} (anywhere; anchor it with ^ and $), or null (row-level). */
  public static RowLevelCheck pattern(String column, String regex) {
    java.util.regex.Pattern.compile(regex);
    return row("pattern", column, Identifiers.quote(column) + " IS NULL OR CAST(" + Identifiers.quote(column) + " AS STRING) RLIKE "
        + literal(regex));
  }

  /** At least {@code min} of the rows satisfy the Spark SQL predicate {@code sql} (row-level). */
  public static RowLevelCheck predicate(String name, String sql, List<String> columns, double min) {
    return new RowLevelCheck(name, "predicate", Severity.ERROR, new Compliance(name, "(" + sql + ")", columns), min, false);
  }

  /** The approximate number of distinct values (HLL) within bounds. */
  public static MetricCheck approxDistinct(String column, Double min, Double max) {
    return new MetricCheck("approx-distinct(" + column + ")", "approx-distinct", Severity.ERROR, SketchAnalyzer.distinct(column),
        new Reading.DistinctEstimate(), new Bounds(min, max));
  }

  /** The quantile {@code q} (KLL) within bounds. */
  public static MetricCheck quantile(String column, double q, Double min, Double max) {
    return new MetricCheck("quantile(" + column + "," + number(q) + ")", "quantile", Severity.ERROR,
        SketchAnalyzer.quantiles(column), new Reading.Quantile(q), new Bounds(min, max));
  }

  /** The mean within bounds. */
  public static MetricCheck mean(String column, Double min, Double max) {
    return new MetricCheck("mean(" + column + ")", "mean", Severity.ERROR, new Mean(column), new Reading.Value(),
        new Bounds(min, max));
  }

  /** The population standard deviation within bounds. */
  public static MetricCheck stddev(String column, Double min, Double max) {
    return new MetricCheck("stddev(" + column + ")", "stddev", Severity.ERROR, new StandardDeviation(column),
        new Reading.Value(), new Bounds(min, max));
  }

  /** The latest value of {@code column} at most {@code maxLag} before the run's reference time. */
  public static FreshnessCheck freshness(String column, Duration maxLag) {
    return new FreshnessCheck("freshness(" + column + ")", Severity.ERROR, column, maxLag);
  }

  /** The columns present with their types; with {@code strict}, no other. */
  public static SchemaCheck schema(Map<String, String> columns, boolean strict) {
    return new SchemaCheck("schema", Severity.ERROR, columns, strict);
  }

  private static RowLevelCheck row(String type, String column, String predicate) {
    String name = type + "(" + column + ")";
    return new RowLevelCheck(name, type, Severity.ERROR, new Compliance(name, predicate, List.of(column)), 1.0, false);
  }

  /** A Spark SQL literal of {@code v}, exact (a decimal, or a double for very large or small values). */
  static String sql(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      throw new IllegalArgumentException("needs a finite number, got " + v);
    }
    String plain = BigDecimal.valueOf(v).toPlainString();
    return plain.length() <= 30 ? plain : Double.toString(v) + "D";
  }

  /** A Spark SQL string literal of {@code text} (backslashes and quotes escaped). */
  static String literal(String text) {
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** A number as plain text: 3, 0.5, 1e-9 as 0.000000001. */
  public static String number(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return String.valueOf(v);
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return String.valueOf((long) v);
    }
    return new BigDecimal(v).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
  }

  /** A share as a percentage with up to 3 decimals, rounded down (so that 99.9995% does not read 100%). */
  static String percent(double share) {
    return number(Math.floor(share * 100_000 + 1e-9) / 1000.0) + "%";
  }

  /** A duration as {@code 2d 3h 4m 5s}, to the second. */
  static String duration(java.time.Duration d) {
    long s = d.getSeconds();
    String sign = s < 0 ? "-" : "";
    s = Math.abs(s);
    StringBuilder b = new StringBuilder();
    long[] units = {86_400, 3600, 60, 1};
    String[] names = {"d", "h", "m", "s"};
    for (int i = 0; i < units.length; i++) {
      if (s >= units[i] || (i == units.length - 1 && b.length() == 0)) {
        b.append(b.length() == 0 ? "" : " ").append(s / units[i]).append(names[i]);
        s %= units[i];
      }
    }
    return sign + b;
  }
}
