package dev.mlops.monitoring.drift;

import dev.mlops.monitoring.MonitoringErrors;

/**
 * A drift metric: compares a column's current distribution with its reference and returns a {@link
 * DriftResult}. A metric is a {@link NumericDriftMetric}, a {@link CategoricalDriftMetric} or both
 * ({@link PopulationStabilityIndex}); their typed {@code compute} methods make a wrong pairing a
 * compile error. Code that only knows a column's distributions at run time calls {@link
 * #compute(String, Distribution, Distribution)}, which names the column when the kinds do not fit.
 *
 * <p>Get one from its constructor ({@code new KolmogorovSmirnov()}, ...). Implementations are
 * immutable and thread-safe.
 */
public sealed interface DriftMetric permits NumericDriftMetric, CategoricalDriftMetric {

  /** The metric's name in results: {@code psi}, {@code ks}, {@code chi_squared}, {@code jensen_shannon}. */
  String name();

  /** The metric's name in messages: {@code PSI}, {@code KS}, {@code chi-squared}, {@code Jensen-Shannon}. */
  String title();

  /**
   * Compares the distributions of {@code column}, whatever their kind.
   *
   * @throws dev.mlops.core.PlatformException when the metric does not apply to the column's kind,
   *     or the two sides are of different kinds; the message names the column and the metrics that
   *     do apply
   */
  default DriftResult compute(String column, Distribution reference, Distribution current) {
    if (!reference.kind().equals(current.kind())) {
      throw MonitoringErrors.mixedColumnKinds(column, title(), reference.kind(), current.kind());
    }
    if (reference instanceof NumericDistribution r && current instanceof NumericDistribution c) {
      if (this instanceof NumericDriftMetric m) {
        return m.compute(r, c);
      }
      throw MonitoringErrors.wrongColumnKind(column, title(), "numeric",
          "use KS or PSI, or bucket the column into categories first");
    }
    if (this instanceof CategoricalDriftMetric m) {
      return m.compute((CategoricalDistribution) reference, (CategoricalDistribution) current);
    }
    throw MonitoringErrors.wrongColumnKind(column, title(), "categorical", "use chi-squared, Jensen-Shannon or PSI");
  }
}
