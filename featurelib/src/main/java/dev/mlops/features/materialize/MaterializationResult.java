package dev.mlops.features.materialize;

import dev.mlops.core.tables.TableVersion;
import java.time.Instant;

/**
 * What one materialization wrote.
 *
 * @param view the view ({@code name vN})
 * @param table the table and the version the commit created
 * @param start first feature time of the replaced range (inclusive)
 * @param end end of the range (exclusive)
 * @param rows rows written, expiry rows included
 * @param expiryRows rows that mark where the TTL since an entity's last event ran out
 */
public record MaterializationResult(String view, TableVersion table, Instant start, Instant end, long rows, long expiryRows) {}
