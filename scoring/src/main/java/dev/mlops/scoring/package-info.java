/**
 * Batch scoring with the Production model, shadow and challenger models, and A/B assignment.
 *
 * <p>Depends on {@code mlops-core} for configuration, Spark sessions, the warehouse and run
 * records; see {@code docs/ARCHITECTURE.md}.
 */
package dev.mlops.scoring;
