package dev.mlops.monitoring;

import dev.mlops.core.PlatformException;

/**
 * The user-facing errors of monitoring: each message names what could not be done and where, why,
 * and how to fix it. Get them from the static methods; the class holds no state.
 */
public final class MonitoringErrors {
  private MonitoringErrors() {}

  /**
   * A drift metric asked of a column of the other kind: KS of a categorical column, chi-squared of
   * a numeric one.
   *
   * @param metric the metric's title, as {@code "KS"}
   * @param kind the column's kind, {@code "numeric"} or {@code "categorical"}
   * @param fix the metrics that do apply, as {@code "use chi-squared, Jensen-Shannon or PSI"}
   */
  public static PlatformException wrongColumnKind(String column, String metric, String kind, String fix) {
    return new PlatformException("Cannot compute " + metric + " on column '" + column + "': it is " + kind + "; "
        + fix);
  }

  /** The reference and the current side of a column are of different kinds. */
  public static PlatformException mixedColumnKinds(String column, String metric, String referenceKind,
      String currentKind) {
    return new PlatformException("Cannot compute " + metric + " on column '" + column + "': the reference is "
        + referenceKind + " but the current data is " + currentKind
        + "; the column changed type between the two, cast both to one type first");
  }

  /** A drift threshold out of its range. */
  public static PlatformException invalidThreshold(String name, double value, String rule) {
    return new PlatformException("Cannot use drift threshold " + name + " = " + value + ": " + rule);
  }

  /** A warn level above its alert level. */
  public static PlatformException thresholdOrder(String metric, double warn, double alert) {
    return new PlatformException("Cannot use drift thresholds for " + metric + ": warn " + warn
        + " is above alert " + alert + "; set warn at most alert (for example warn 0.1, alert 0.2)");
  }

  /** A PSI with fewer than two bins. */
  public static PlatformException invalidBins(int bins) {
    return new PlatformException("Cannot compute PSI with " + bins
        + " bins: it compares shares of at least two bins; use 10 (the default) or another count from 2");
  }
}
