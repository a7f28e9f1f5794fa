/**
 * Maintenance of feature tables that keeps pinned versions readable: {@link
 * dev.mlops.features.maintenance.FeatureTableRetention} raises a table's Delta log and file
 * retention to what models need, and {@link dev.mlops.features.maintenance.FeatureVacuum} deletes
 * old data files only when no {@link dev.mlops.features.TablePin} still needs them.
 *
 * <p>See "Vacuum and pinned versions" in {@code docs/FEATURES.md}.
 */
package dev.mlops.features.maintenance;
