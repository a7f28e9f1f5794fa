package dev.mlops.monitoring.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.monitoring.ColumnDrift;
import dev.mlops.monitoring.DriftReport;
import dev.mlops.monitoring.drift.DriftStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Writes the example report ({@link DriftReportExample}) to {@code
 * monitoring/target/drift-report/example.html}, and checks it still tells its story. To refresh
 * {@code docs/drift-report.png} after a change to the report, run this test, then from the
 * repository's root:
 *
 * <pre>
 * chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
 *   --disable-background-networking --disable-component-update --disable-sync \
 *   --user-data-dir=$(mktemp -d) --hide-scrollbars --window-size=1400,1760 \
 *   --screenshot=docs/drift-report.png file://$PWD/monitoring/target/drift-report/example.html
 * </pre>
 *
 * <p>The window's height stops the picture below the performance trend, before the alerts. The
 * committed PNG was re-encoded losslessly without its alpha channel (Chromium writes a larger one).
 */
class DriftReportExampleTest {
  static final Path EXAMPLE = Path.of("target", "drift-report", "example.html");

  @Test
  void writesTheExampleWhereDriftStartsOnDaySeven() throws IOException {
    DriftReport report = DriftReportExample.report();
    Map<String, String> first = new TreeMap<>(report.columns().stream().filter(c -> c.status() == DriftStatus.DRIFT)
        .collect(Collectors.toMap(ColumnDrift::column, ColumnDrift::partition, (a, b) -> a.compareTo(b) <= 0 ? a : b)));
    assertThat(first).as("the columns that drift, and their first day").isEqualTo(Map.of(
        "amount", "2026-11-07", "merchant_category", "2026-11-07", "avg_amount_7d", "2026-11-08", "score", "2026-11-08"));
    assertThat(report.columns()).filteredOn(c -> c.status() == DriftStatus.WARN).extracting(ColumnDrift::column)
        .as("no warnings: channel creeps too little").isEmpty();
    assertThat(report.firstDriftedPartition()).as("a quarter of the features drifted from day 8").isEqualTo("2026-11-08");

    String html = DriftHtmlReport.render(report, DriftReportExample.performance());
    Files.createDirectories(EXAMPLE.getParent());
    Files.writeString(EXAMPLE, html, StandardCharsets.UTF_8);
    Page page = Page.parse(html);
    assertThat(page.all("//figure[" + Page.hasClass("panel") + "]")).extracting(e -> e.getAttribute("data-column"))
        .as("the panels").containsExactlyInAnyOrder("amount", "merchant_category", "avg_amount_7d", "score");
    assertThat(html.toLowerCase(Locale.ROOT)).as("self-contained").doesNotContain("http://", "https://", "url(");
  }
}
