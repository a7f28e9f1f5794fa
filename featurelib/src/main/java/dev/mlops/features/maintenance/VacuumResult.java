package dev.mlops.features.maintenance;

import dev.mlops.core.tables.TableVersion;
import dev.mlops.features.TablePin;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What one {@link FeatureVacuum#vacuum} did, or would do in a dry run. Immutable.
 *
 * @param table the table, at the version whose pins were checked (its latest when the vacuum
 *     started; Delta may record the vacuum itself in later versions)
 * @param retain the retention used: removed files younger than this were kept
 * @param dryRun whether nothing was deleted
 * @param filesDeleted files (and empty folders) deleted, as Delta's dry-run listing counted them
 *     just before the deletion; in a dry run, what a vacuum would delete
 * @param sampleFiles up to {@link FeatureVacuum#SAMPLE_SIZE} of those paths
 * @param pinsChecked the pins on this table that were checked (pins on other tables are ignored)
 */
public record VacuumResult(
    TableVersion table, Duration retain, boolean dryRun, long filesDeleted, List<String> sampleFiles,
    List<TablePin> pinsChecked) {
  public VacuumResult {
    Objects.requireNonNull(table, "table == null");
    Objects.requireNonNull(retain, "retain == null");
    sampleFiles = List.copyOf(sampleFiles);
    pinsChecked = List.copyOf(pinsChecked);
  }
}
