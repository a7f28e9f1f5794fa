/**
 * Training sets built with point-in-time joins, MLlib pipelines, evaluation and gates, and the model registry.
 *
 * <p>Depends on {@code mlops-core} for configuration, Spark sessions, the warehouse and run
 * records; see {@code docs/ARCHITECTURE.md}.
 */
package dev.mlops.training;
