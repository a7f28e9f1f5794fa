package dev.mlops.scoring;

import dev.mlops.core.tables.TableVersion;
import java.time.LocalDate;
import java.util.Map;
import java.util.List;

/**
 * What {@code mlops score} wrote.
 *
 * @param model the model
 * @param first the first day scored
 * @param last the last day scored
 * @param productionVersion the Production version
 * @param predictions the predictions table at the version written
 * @param rows spine rows scored
 * @param rowsByRole rows written per role ({@code production}, {@code shadow}, {@code variant:x})
 * @param positiveRate share of served rows predicted positive
 * @param shadow the shadow comparison of each day, when a shadow version scored
 */
public record ScoreResult(String model, LocalDate first, LocalDate last, int productionVersion, TableVersion predictions,
    long rows, Map<String, Long> rowsByRole, double positiveRate, List<ShadowComparison> shadow) {}
