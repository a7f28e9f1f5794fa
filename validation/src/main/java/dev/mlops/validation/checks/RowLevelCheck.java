package dev.mlops.validation.checks;

import dev.mlops.validation.AnalysisResult;
import dev.mlops.validation.CheckResult;
import dev.mlops.validation.CheckStatus;
import dev.mlops.validation.Severity;
import dev.mlops.validation.analyzers.Analyzer;
import dev.mlops.validation.analyzers.Compliance;
import dev.mlops.validation.analyzers.Outcome;
import java.util.List;

/**
 * A per-row predicate that at least {@code minPass} of the rows must satisfy (by default all).
 * Value checks (range, allowed values, pattern) let nulls pass, as Deequ does; completeness and
 * {@code not-null} judge nulls. With {@code quarantine}, the failing rows go to the quarantine
 * table and the check reports {@code quarantined} instead of failing.
 *
 * @param name the check's name
 * @param type the check type
 * @param severity its severity
 * @param compliance the predicate
 * @param minPass the share of rows that must pass
 * @param quarantine whether failing rows go to quarantine
 */
public record RowLevelCheck(String name, String type, Severity severity, Compliance compliance, double minPass,
    boolean quarantine) implements RowCheck {
  public RowLevelCheck {
    if (!(minPass >= 0 && minPass <= 1)) {
      throw new IllegalArgumentException("min must be between 0 and 1, got " + minPass);
    }
  }

  /** This check with another severity. */
  public RowLevelCheck withSeverity(Severity s) {
    return new RowLevelCheck(name, type, s, compliance, minPass, quarantine);
  }

  /** This check, sending failing rows to quarantine. */
  public RowLevelCheck quarantined() {
    return new RowLevelCheck(name, type, severity, compliance, minPass, true);
  }

  @Override
  public List<Analyzer> analyzers() {
    return List.of(compliance);
  }

  @Override
  public CheckResult evaluate(AnalysisResult result) {
    Outcome o = result.outcome(compliance);
    String expected = ">= " + Checks.percent(minPass) + " of rows pass " + compliance.predicate();
    if (o.failed()) {
      return new CheckResult(name, type, severity, CheckStatus.ERROR, "-", expected, o.failure(), -1);
    }
    long total = (long) result.outcome(new dev.mlops.validation.analyzers.Size()).value();
    long failing = total - o.rows();
    String observed = Checks.percent(o.value()) + " pass, " + failing + " rows fail";
    CheckStatus status;
    String message;
    if (failing > 0 && quarantine) {
      status = CheckStatus.QUARANTINED;
      message = failing + " rows fail and go to quarantine";
    } else if (o.value() >= minPass) {
      status = CheckStatus.SUCCESS;
      message = failing == 0 ? "every row passes" : failing + " rows fail, within the allowed share";
    } else {
      status = CheckStatus.FAILURE;
      message = failing + " of " + total + " rows fail " + compliance.predicate();
    }
    return new CheckResult(name, type, severity, status, observed, expected, message, failing);
  }
}
