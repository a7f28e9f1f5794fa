package dev.mlops.monitoring.report;

import dev.mlops.core.tables.ReportFiles;
import dev.mlops.monitoring.DriftReport;
import dev.mlops.monitoring.performance.PerformancePoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;

/**
 * A drift run as one self-contained HTML page, for a person to see at a glance what drifted and
 * from when: a header with a one-line verdict and the run's facts; a heatmap of features x
 * partitions coloured by status (drifted features first, the model's score in its own row, the
 * share of drifted features per partition above it, against the dataset threshold); for each
 * drifted column, its reference and current distributions in the first partition it drifted in;
 * the model's performance and label coverage when given; the alerts.
 *
 * <p>The page holds its stylesheet and its charts (inline SVG) and refers to nothing outside it: no
 * script, font, image or stylesheet, so it reads offline, from an object store, in a mail, and
 * prints on A4 (landscape). Every text that comes from data is escaped.
 *
 * <p>Use the static methods; the class holds no state and is thread-safe. A realistic example (12
 * features over 10 days, drift from day 7) is written to {@code
 * monitoring/target/drift-report/example.html} by {@code DriftReportExampleTest}:
 * {@code flock /tmp/mvn.lock mvn -o -q -B -pl monitoring -am test -Dtest=DriftReportExampleTest
 * -Dsurefire.failIfNoSpecifiedTests=false}; {@code docs/drift-report.png} is its screenshot by
 * headless Chromium at a window of 1400 pixels wide (see that test's javadoc).
 */
public final class DriftHtmlReport {
  private static final String CSS = stylesheet();

  private DriftHtmlReport() {}

  /**
   * The page of {@code report}, with the performance trend of {@code performance} when it is not
   * empty.
   *
   * @param performance the model's performance per partition, in partition order; empty for none
   */
  public static String render(DriftReport report, List<PerformancePoint> performance) {
    Objects.requireNonNull(report, "report == null");
    Objects.requireNonNull(performance, "performance == null");
    List<FeatureDrift> rows = FeatureDrift.of(report);
    StringBuilder b = new StringBuilder(64 * 1024);
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/><title>Drift: ")
        .append(Html.esc(report.subject())).append("</title><style>").append(CSS).append("</style></head><body>");
    Header.render(b, report, rows);
    Heatmap.render(b, report, rows);
    Distributions.render(b, rows);
    PerformanceChart.render(b, performance);
    AlertTable.render(b, report);
    return b.append("</body></html>\n").toString();
  }

  /**
   * Writes the page of {@code report} to {@code uri}, replacing it: a local path or any URI a
   * Hadoop file system of {@code conf} reads ({@code file:/}, {@code s3a://}, {@code hdfs://}).
   *
   * @throws dev.mlops.core.PlatformException when the file cannot be written, naming it
   */
  public static void write(DriftReport report, List<PerformancePoint> performance, String uri, Configuration conf) {
    ReportFiles.write(uri, render(report, performance), conf, "drift report");
  }

  /**
   * Where a run's report goes: {@code <reportsUri>/drift/<subject, spaces as _>/<runId>.html}, as
   * {@code file:/wh/reports/drift/model_fraud/drift-20261107.html}.
   *
   * @param reportsUri the warehouse's reports folder ({@code WarehouseConfig.reportsUri()})
   * @param subject the report's subject ({@code model fraud}, {@code table raw.transactions})
   * @param runId the drift run's id
   */
  public static String location(String reportsUri, String subject, String runId) {
    String base = reportsUri.endsWith("/") ? reportsUri.substring(0, reportsUri.length() - 1) : reportsUri;
    return base + "/drift/" + subject.strip().replace(' ', '_') + "/" + runId + ".html";
  }

  private static String stylesheet() {
    try (InputStream in = DriftHtmlReport.class.getResourceAsStream("drift-report.css")) {
      if (in == null) {
        throw new IllegalStateException("drift-report.css is missing from the classpath next to "
            + DriftHtmlReport.class.getName() + "; rebuild mlops-monitoring");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
