/**
 * Drift statistics, pure Java (no Spark): distributions of a column on a reference and a current
 * side, exact or from DataSketches sketches ({@link dev.mlops.monitoring.drift.ExactNumeric},
 * {@link dev.mlops.monitoring.drift.KllNumeric}, {@link dev.mlops.monitoring.drift.ExactCategorical},
 * {@link dev.mlops.monitoring.drift.FrequentItemsCategorical}), the metrics that compare them
 * ({@link dev.mlops.monitoring.drift.PopulationStabilityIndex}, {@link
 * dev.mlops.monitoring.drift.KolmogorovSmirnov}, {@link dev.mlops.monitoring.drift.ChiSquared},
 * {@link dev.mlops.monitoring.drift.JensenShannon}), each returning an immutable {@link
 * dev.mlops.monitoring.drift.DriftResult}, and the dataset-level {@link
 * dev.mlops.monitoring.drift.DriftShare}.
 *
 * <p>The tests and p-values follow SciPy (ks_2samp, kstwo, chi2_contingency, jensenshannon); the
 * golden fixtures are made by {@code monitoring/src/test/python/make_drift_fixtures.py}.
 */
package dev.mlops.monitoring.drift;
