package dev.mlops.monitoring.report;

import dev.mlops.monitoring.drift.DriftStatus;
import java.util.Locale;

/** How the report names and orders drift statuses: CSS classes, and DRIFT before WARN before the rest. */
final class Statuses {
  /** The class of a cell with no result (the column was not compared in that partition). */
  static final String MISSING = "missing";

  private Statuses() {}

  /** {@code ok}, {@code warn}, {@code drift}, {@code insufficient}; {@value #MISSING} for null. */
  static String css(DriftStatus status) {
    return status == null ? MISSING : status.name().toLowerCase(Locale.ROOT);
  }

  /** 0 for DRIFT, then WARN, INSUFFICIENT (a data problem worth seeing), OK, and none. */
  static int rank(DriftStatus status) {
    if (status == null) {
      return 4;
    }
    return switch (status) {
      case DRIFT -> 0;
      case WARN -> 1;
      case INSUFFICIENT -> 2;
      case OK -> 3;
    };
  }

  /** The worse of two statuses, by {@link #rank}. */
  static DriftStatus worse(DriftStatus a, DriftStatus b) {
    return rank(a) <= rank(b) ? a : b;
  }
}
