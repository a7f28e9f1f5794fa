package dev.mlops.validation.checks;

import dev.mlops.validation.AnalysisResult;
import dev.mlops.validation.CheckResult;
import dev.mlops.validation.CheckStatus;
import dev.mlops.validation.Severity;
import dev.mlops.validation.analyzers.Analyzer;
import dev.mlops.validation.analyzers.MaxTime;
import dev.mlops.validation.analyzers.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The latest event time is recent: at most {@code maxLag} before the run's reference time (the
 * run's start, or the end of the validated date partition).
 *
 * @param name the check's name
 * @param severity its severity
 * @param column a timestamp or date column
 * @param maxLag the allowed lag
 */
public record FreshnessCheck(String name, Severity severity, String column, Duration maxLag) implements Check {
  @Override
  public String type() {
    return "freshness";
  }

  /** This check with another severity. */
  public FreshnessCheck withSeverity(Severity s) {
    return new FreshnessCheck(name, s, column, maxLag);
  }

  @Override
  public List<Analyzer> analyzers() {
    return List.of(new MaxTime(column));
  }

  @Override
  public CheckResult evaluate(AnalysisResult result) {
    Outcome o = result.outcome(new MaxTime(column));
    String expected = "latest " + column + " at most " + Checks.duration(maxLag)
        + " before " + micros(result.referenceMicros()).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    if (o.failed()) {
      return new CheckResult(name, type(), severity, CheckStatus.ERROR, "-", expected, o.failure(), -1);
    }
    long latest = (long) o.value();
    Duration lag = Duration.of(result.referenceMicros() - latest, java.time.temporal.ChronoUnit.MICROS);
    boolean future = lag.isNegative();
    boolean ok = !future && lag.compareTo(maxLag) <= 0;
    String observed = "latest " + micros(latest) + (future ? " (in the future)" : " (lag " + Checks.duration(lag) + ")");
    return new CheckResult(name, type(), severity, ok ? CheckStatus.SUCCESS : CheckStatus.FAILURE, observed, expected,
        ok ? "fresh" : future ? "the latest " + column + " lies after the reference time: bad timestamps or clock skew"
            : "stale: the latest " + column + " is older than allowed", -1);
  }

  private static Instant micros(long micros) {
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
  }
}
