package dev.mlops.monitoring.drift;

/**
 * A drift metric of categorical columns ({@link ChiSquared}, {@link JensenShannon}, {@link
 * PopulationStabilityIndex}). They compare the same buckets: every reference category, one {@value
 * Bucket#UNSEEN} bucket for the current categories the reference lacks, one {@value Bucket#OTHER}
 * bucket for the rows a sketch did not keep; buckets empty on both sides are left out.
 *
 * <p>Get one from its constructor. Implementations are immutable and thread-safe.
 */
public non-sealed interface CategoricalDriftMetric extends DriftMetric {

  /**
   * Compares the current distribution with the reference. A side without values gives {@link
   * DriftStatus#INSUFFICIENT}, with the reason in {@link DriftDetails.InsufficientData}.
   */
  DriftResult compute(CategoricalDistribution reference, CategoricalDistribution current);
}
