/**
 * Feature definitions (entities, sources, feature views, feature services), materialization into versioned Delta feature tables, point-in-time joins and the Redis online store.
 *
 * <p>Depends on {@code mlops-core} for configuration, Spark sessions, the warehouse and run
 * records; see {@code docs/ARCHITECTURE.md}.
 */
package dev.mlops.features;
