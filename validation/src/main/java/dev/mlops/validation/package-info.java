/**
 * Deequ-style data validation: checks computed in one pass with Apache DataSketches, metric history, anomaly rules, quarantine and profiles.
 *
 * <p>Depends on {@code mlops-core} for configuration, Spark sessions, the warehouse and run
 * records; see {@code docs/ARCHITECTURE.md}.
 */
package dev.mlops.validation;
