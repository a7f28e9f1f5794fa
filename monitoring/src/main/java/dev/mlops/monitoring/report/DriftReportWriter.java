package dev.mlops.monitoring.report;

import dev.mlops.core.tables.Warehouse;
import dev.mlops.monitoring.DriftReport;
import dev.mlops.monitoring.performance.PerformancePoint;
import dev.mlops.monitoring.performance.PerformanceTable;
import java.util.List;

/**
 * Leaves a drift run's page in the warehouse's reports folder ({@code
 * <reports>/drift/<subject>/<run id>.html}), with a model's performance trend over the same days
 * when {@code mlops monitor performance} has measured them ({@code monitoring.performance}).
 *
 * <p>Thread-safe as far as the warehouse's session is.
 */
public final class DriftReportWriter {
  private final Warehouse warehouse;

  public DriftReportWriter(Warehouse warehouse) {
    this.warehouse = warehouse;
  }

  /**
   * Writes the page of {@code report}, made by the run {@code runId}.
   *
   * @return {@code report} with the page's location
   * @throws dev.mlops.core.PlatformException naming the file when it cannot be written
   */
  public DriftReport write(DriftReport report, String runId) {
    List<PerformancePoint> performance = report.model() == null ? List.of()
        : new PerformanceTable(warehouse).points(report.model(), report.partitions());
    String uri = DriftHtmlReport.location(warehouse.config().warehouse().reportsUri(), report.subject(), runId);
    DriftHtmlReport.write(report, performance, uri, warehouse.spark().sparkContext().hadoopConfiguration());
    return report.withHtmlReport(uri);
  }
}
