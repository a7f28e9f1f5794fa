package dev.mlops.validation.checks;

import dev.mlops.validation.AnalysisResult;
import dev.mlops.validation.CheckResult;
import dev.mlops.validation.Severity;
import dev.mlops.validation.analyzers.Analyzer;
import java.util.List;

/**
 * A constraint on a table: it names the analyzers it needs and judges their outcomes. Checks
 * are immutable values; build them with {@link Checks} or from a suite file.
 */
public interface Check {
  /** The check's name, unique in its suite: {@code completeness(customer_id)}, or the one given. */
  String name();

  /** The check type, as in suite files: {@code row-count}, {@code completeness}, ... */
  String type();

  /** Its severity. */
  Severity severity();

  /** The analyzers it reads. */
  List<Analyzer> analyzers();

  /** Judges the outcomes; an analyzer that failed makes the result an {@code error}, never an exception. */
  CheckResult evaluate(AnalysisResult result);
}
