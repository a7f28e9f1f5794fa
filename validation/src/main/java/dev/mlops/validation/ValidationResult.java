package dev.mlops.validation;

import dev.mlops.core.tables.TableVersion;
import java.util.List;

/**
 * What a validation run found.
 *
 * @param suite the suite's source
 * @param validated the table version validated
 * @param partition the partition validated, or null for the whole table
 * @param rows the rows validated
 * @param results every check's result, anomalies last
 * @param metrics the metrics measured
 * @param quarantinedRows rows moved to quarantine
 * @param report where the JSON report was written
 * @param htmlReport where the HTML report was written
 * @param runId the run
 */
public record ValidationResult(String suite, TableVersion validated, Partition partition, long rows, List<CheckResult> results,
    List<Metric> metrics, long quarantinedRows, String report, String htmlReport, String runId) {
  public ValidationResult {
    results = List.copyOf(results);
    metrics = List.copyOf(metrics);
  }

  /** True unless an error-level check failed or could not be evaluated. */
  public boolean passed() {
    return results.stream().noneMatch(CheckResult::failsGate);
  }
}
