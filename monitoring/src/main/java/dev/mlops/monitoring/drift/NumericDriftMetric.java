package dev.mlops.monitoring.drift;

/**
 * A drift metric of numeric columns ({@link KolmogorovSmirnov}, {@link PopulationStabilityIndex}).
 *
 * <p>Get one from its constructor. Implementations are immutable and thread-safe.
 */
public non-sealed interface NumericDriftMetric extends DriftMetric {

  /**
   * Compares the current distribution with the reference. A side without values gives {@link
   * DriftStatus#INSUFFICIENT}, with the reason in {@link DriftDetails.InsufficientData}.
   */
  DriftResult compute(NumericDistribution reference, NumericDistribution current);
}
