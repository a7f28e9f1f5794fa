package dev.mlops.validation.checks;

import dev.mlops.validation.analyzers.Compliance;
import org.apache.spark.sql.Column;

/**
 * A check that judges each row on its own (not null, range, allowed values, pattern, SQL
 * predicate): it can send the rows that fail it to quarantine.
 */
public interface RowCheck extends Check {
  /** The per-row predicate and its pass rate. */
  Compliance compliance();

  /** True when failing rows go to quarantine instead of failing the check. */
  boolean quarantine();

  /** A column that is true for the rows that pass (never null). */
  default Column passes() {
    return compliance().passes();
  }
}
