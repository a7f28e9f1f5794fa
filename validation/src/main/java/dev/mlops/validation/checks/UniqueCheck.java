package dev.mlops.validation.checks;

import dev.mlops.validation.AnalysisResult;
import dev.mlops.validation.CheckResult;
import dev.mlops.validation.CheckStatus;
import dev.mlops.validation.Severity;
import dev.mlops.validation.analyzers.Analyzer;
import dev.mlops.validation.analyzers.Completeness;
import dev.mlops.validation.analyzers.Outcome;
import dev.mlops.validation.analyzers.Uniqueness;
import java.util.ArrayList;
import java.util.List;

/**
 * The key columns identify each row (exact): {@code unique} wants no duplicate key among rows,
 * {@code primary-key} also wants no null in any key column.
 *
 * @param name the check's name
 * @param severity its severity
 * @param columns the key columns
 * @param primaryKey true for {@code primary-key}
 */
public record UniqueCheck(String name, Severity severity, List<String> columns, boolean primaryKey) implements Check {
  public UniqueCheck {
    columns = List.copyOf(columns);
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("needs at least one column");
    }
  }

  @Override
  public String type() {
    return primaryKey ? "primary-key" : "unique";
  }

  /** This check with another severity. */
  public UniqueCheck withSeverity(Severity s) {
    return new UniqueCheck(name, s, columns, primaryKey);
  }

  @Override
  public List<Analyzer> analyzers() {
    List<Analyzer> out = new ArrayList<>();
    out.add(new Uniqueness(columns));
    if (primaryKey) {
      columns.forEach(c -> out.add(new Completeness(c)));
    }
    return out;
  }

  @Override
  public CheckResult evaluate(AnalysisResult result) {
    String expected = primaryKey ? "no null and no duplicate key" : "no duplicate key";
    for (Analyzer a : analyzers()) {
      if (result.outcome(a).failed()) {
        return new CheckResult(name, type(), severity, CheckStatus.ERROR, "-", expected, result.outcome(a).failure(), -1);
      }
    }
    Outcome u = result.outcome(analyzers().get(0));
    long total = (long) result.outcome(new dev.mlops.validation.analyzers.Size()).value();
    long notUnique = total - u.rows();
    List<String> incomplete = new ArrayList<>();
    if (primaryKey) {
      columns.stream().filter(c -> result.outcome(new Completeness(c)).value() < 1.0).forEach(incomplete::add);
    }
    boolean ok = notUnique == 0 && incomplete.isEmpty();
    String observed = "uniqueness " + Checks.percent(u.value()) + ", " + notUnique + " rows share or lack a key"
        + (incomplete.isEmpty() ? "" : "; nulls in " + String.join(", ", incomplete));
    return new CheckResult(name, type(), severity, ok ? CheckStatus.SUCCESS : CheckStatus.FAILURE, observed, expected,
        ok ? "every row has its own key" : notUnique + " rows of " + total + " do not have a key of their own", notUnique);
  }
}
