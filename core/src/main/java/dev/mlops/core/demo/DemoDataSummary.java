package dev.mlops.core.demo;

import dev.mlops.core.tables.TableVersion;
import java.util.List;

/**
 * What {@link DemoDataWriter} wrote.
 *
 * @param spec the spec
 * @param tables the tables and the versions written
 * @param transactions number of transactions
 * @param customers number of customers
 * @param merchants number of merchants
 * @param fraudLabels number of fraud reports known at the end
 * @param meanAmountBeforeDrift mean transaction amount before the drift date
 * @param meanAmountAfterDrift mean transaction amount from the drift date on
 * @param newCategoryShareAfterDrift share of transactions at {@code crypto_exchange} merchants after it
 * @param plantedBadRows rows with a negative amount, no customer or an unknown currency
 */
public record DemoDataSummary(
    DemoDataSpec spec,
    List<TableVersion> tables,
    long transactions,
    long customers,
    long merchants,
    long fraudLabels,
    double meanAmountBeforeDrift,
    double meanAmountAfterDrift,
    double newCategoryShareAfterDrift,
    long plantedBadRows) {

  /** A few lines for people. */
  public String describe() {
    return String.format(
        "raw data %s .. %s (seed %d, scale %s):%n"
            + "  %,d transactions, %,d customers, %,d merchants, %,d fraud reports (%.2f%%)%n"
            + "  drift from %s: mean amount %.2f -> %.2f, crypto_exchange share 0%% -> %.1f%%%n"
            + "  planted bad rows: %d",
        spec.start(), spec.end().minusDays(1), spec.seed(), spec.scale(), transactions, customers, merchants,
        fraudLabels, 100.0 * fraudLabels / transactions, spec.driftDate(), meanAmountBeforeDrift, meanAmountAfterDrift,
        100 * newCategoryShareAfterDrift, plantedBadRows);
  }
}
