package dev.mlops.features.online;

import dev.mlops.core.tables.TableVersion;

/**
 * What one sync of a view version did.
 *
 * @param view the view ({@code name vN})
 * @param table the table version synced
 * @param mode {@code full}, {@code incremental} or {@code none}
 * @param reason why that mode
 * @param written entities written
 * @param skipped writes refused because Redis held a newer event time
 * @param deleted entities deleted (expired, or gone from the table)
 */
public record SyncResult(String view, TableVersion table, String mode, String reason, long written, long skipped, long deleted) {}
