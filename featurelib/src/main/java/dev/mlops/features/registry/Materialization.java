package dev.mlops.features.registry;

import java.time.Instant;

/**
 * One materialization of a view version: the feature-time range it replaced, and the commit.
 *
 * @param view the view
 * @param version its version
 * @param start first feature time of the range (inclusive)
 * @param end end of the range (exclusive)
 * @param rows rows written
 * @param deltaVersion the table version the commit created
 * @param runId the run
 * @param materializedAt when
 */
public record Materialization(String view, int version, Instant start, Instant end, long rows, long deltaVersion,
    String runId, Instant materializedAt) {}
