package dev.mlops.monitoring.report;

import java.util.Locale;

/** How the report prints numbers: three significant digits or so, shares as percents, counts grouped. */
final class Numbers {
  private Numbers() {}

  /**
   * A metric value or a bin edge: {@code 0.412}, {@code 3.14}, {@code 27.5}, {@code 1,234}, {@code 2.0e-05};
   * n/a for NaN.
   */
  static String value(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+inf" : "-inf";
    }
    double a = Math.abs(v);
    if (a == 0) {
      return "0";
    }
    if (a < 0.001) {
      return String.format(Locale.ROOT, "%.1e", v);
    }
    if (a < 1) {
      return String.format(Locale.ROOT, "%.3f", v);
    }
    if (a < 10) {
      return String.format(Locale.ROOT, "%.2f", v);
    }
    return a < 100 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%,.0f", v);
  }

  /** A value in a heatmap cell, where space is short: two decimals ({@code 0.00}, {@code 0.18}, {@code 1.57}). */
  static String cell(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2f", v);
  }

  /** A p-value: {@code < 0.001} below a thousandth, three decimals above. */
  static String pValue(double p) {
    if (Double.isNaN(p)) {
      return "n/a";
    }
    return p < 0.001 ? "< 0.001" : String.format(Locale.ROOT, "%.3f", p);
  }

  /** A share in [0, 1] as a percent: {@code 42%}, {@code 4.2%}, {@code 0%}; n/a for NaN. */
  static String percent(double share) {
    if (Double.isNaN(share)) {
      return "n/a";
    }
    double p = 100 * share;
    return p == 0 || p >= 10 ? String.format(Locale.ROOT, "%.0f%%", p) : String.format(Locale.ROOT, "%.1f%%", p);
  }

  /** A count with thousands separators: {@code 120,000}. */
  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** A coordinate in an SVG: one decimal. */
  static String px(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
