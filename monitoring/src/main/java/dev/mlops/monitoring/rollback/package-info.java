/**
 * Rollback on degradation: the spec's {@code monitoring.rollback} policy applied after performance
 * monitoring, with its decisions in {@code monitoring.rollbacks}.
 */
package dev.mlops.monitoring.rollback;
