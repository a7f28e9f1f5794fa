/**
 * Drift metrics (PSI, Kolmogorov-Smirnov, chi-squared), performance monitoring, alerts, reports and the Airflow REST client.
 *
 * <p>Depends on {@code mlops-core} for configuration, Spark sessions, the warehouse and run
 * records; see {@code docs/ARCHITECTURE.md}.
 */
package dev.mlops.monitoring;
