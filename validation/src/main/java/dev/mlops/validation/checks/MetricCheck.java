package dev.mlops.validation.checks;

import dev.mlops.validation.AnalysisResult;
import dev.mlops.validation.CheckResult;
import dev.mlops.validation.CheckStatus;
import dev.mlops.validation.Severity;
import dev.mlops.validation.analyzers.Analyzer;
import dev.mlops.validation.analyzers.Outcome;
import java.util.List;

/**
 * One number of the data within bounds: row count, completeness, mean, standard deviation,
 * approximate distinct count, a quantile.
 *
 * @param name the check's name
 * @param type the check type
 * @param severity its severity
 * @param analyzer the analyzer it reads
 * @param reading how the number comes out of the analyzer's outcome
 * @param bounds the allowed range
 */
public record MetricCheck(String name, String type, Severity severity, Analyzer analyzer, Reading reading, Bounds bounds)
    implements Check {
  @Override
  public List<Analyzer> analyzers() {
    return List.of(analyzer);
  }

  /** This check with another severity. */
  public MetricCheck withSeverity(Severity s) {
    return new MetricCheck(name, type, s, analyzer, reading, bounds);
  }

  @Override
  public CheckResult evaluate(AnalysisResult result) {
    Outcome o = result.outcome(analyzer);
    String expected = bounds.describe();
    if (o.failed()) {
      return new CheckResult(name, type, severity, CheckStatus.ERROR, "-", expected, o.failure(), -1);
    }
    double v = reading.read(o);
    boolean ok = bounds.contains(v);
    String observed = Checks.number(v);
    return new CheckResult(name, type, severity, ok ? CheckStatus.SUCCESS : CheckStatus.FAILURE, observed, expected,
        ok ? type + " " + observed + " is " + expected : type + " " + observed + " is not " + expected, -1);
  }
}
