package dev.mlops.monitoring.report;

import static dev.mlops.monitoring.report.Cells.categorical;
import static dev.mlops.monitoring.report.Cells.category;
import static dev.mlops.monitoring.report.Cells.numeric;
import static dev.mlops.monitoring.report.Cells.other;
import static dev.mlops.monitoring.report.Cells.unseen;
import static dev.mlops.monitoring.report.Page.hasClass;
import static dev.mlops.monitoring.report.ReportBuilder.from;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.PlatformException;
import dev.mlops.monitoring.ColumnDrift;
import dev.mlops.monitoring.DriftReport;
import dev.mlops.monitoring.drift.DriftStatus;
import dev.mlops.monitoring.performance.PerformancePoint;
import dev.mlops.monitoring.performance.PerformanceStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

class DriftHtmlReportTest {
  private static final List<String> DAYS = ReportBuilder.days("2026-11-01", 5);
  private static final String HOSTILE = "<script>alert(1)</script> & notes";
  private static final String HOSTILE_CATEGORY = "<img src=x onerror=alert(2)>";

  /**
   * Six features over five days and the score: amount and merchant_category drift from the fourth
   * day, the hostile column on the last; hour warns from the third; age has no values on the last.
   */
  private static final DriftReport REPORT = ReportBuilder.subject("model fraud").model("fraud").partitions(DAYS)
      .column("channel", (c, p) -> categorical(c, p, DriftStatus.OK, category("web", 500, 50), category("app", 500, 50)))
      .column("amount", (c, p) -> numeric(c, p, from(p, DAYS, 3, DriftStatus.OK, DriftStatus.DRIFT)))
      .column("hour", (c, p) -> numeric(c, p, from(p, DAYS, 2, DriftStatus.OK, DriftStatus.WARN)))
      .column("age", (c, p) -> numeric(c, p, from(p, DAYS, 4, DriftStatus.OK, DriftStatus.INSUFFICIENT)))
      .column("merchant_category", (c, p) -> categorical(c, p, from(p, DAYS, 3, DriftStatus.OK, DriftStatus.DRIFT),
          category("grocery", 6000, 400), category("travel", 4000, 300), unseen(250), other(100, 50)))
      .column(HOSTILE, (c, p) -> categorical(c, p, from(p, DAYS, 4, DriftStatus.OK, DriftStatus.DRIFT),
          category(HOSTILE_CATEGORY, 700, 10), category("plain", 300, 90)))
      .column("score", (c, p) -> numeric(c, p, DriftStatus.OK))
      .build();

  private static final List<PerformancePoint> PERFORMANCE = List.of(
      new PerformancePoint("2026-11-01", 0.95, "auc", 0.91, PerformanceStatus.OK),
      new PerformancePoint("2026-11-02", 0.9, "auc", 0.90, PerformanceStatus.OK),
      new PerformancePoint("2026-11-03", 0.8, "auc", 0.84, PerformanceStatus.DEGRADED),
      new PerformancePoint("2026-11-04", 0.3, "auc", 0.93, PerformanceStatus.PENDING),
      new PerformancePoint("2026-11-05", 0.05, "auc", Double.NaN, PerformanceStatus.PENDING));

  private static final String HTML = DriftHtmlReport.render(REPORT, PERFORMANCE);
  private static final Page PAGE = Page.parse(HTML);

  @Test
  void isWellFormedAndRefersToNothingOutsideItself() {
    assertThat(PAGE.all("/html/head/style")).as("one inline stylesheet").hasSize(1);
    assertThat(HTML.toLowerCase(Locale.ROOT)).as("no reference to anything outside the page")
        .doesNotContain("http://", "https://", "<script", "<link", "@import", "url(", "<img", "<iframe", "src=\"");
    assertThat(PAGE.all("//*[@onerror or @onload or @onclick]")).as("no event handlers").isEmpty();
  }

  @Test
  void escapesEveryNameFromData() {
    assertThat(HTML).as("the hostile column name, escaped")
        .contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; notes")
        .as("the hostile category, escaped").contains("&lt;img src=x onerror=alert(2)&gt;");
    assertThat(PAGE.all("//tr[@data-column]")).as("the hostile name reads back as text")
        .extracting(e -> e.getAttribute("data-column")).contains(HOSTILE);
  }

  @Test
  void drawsOneHeatmapCellPerColumnAndPartitionWithItsStatus() {
    List<Element> cells = PAGE.all("//table[" + hasClass("heatmap") + "]//td[" + hasClass("hm") + "]");
    assertThat(cells).as("7 columns (6 features and the score) x 5 days").hasSize(35);
    for (ColumnDrift c : REPORT.columns()) {
      List<Element> cell = PAGE.all("//tr[@data-column=" + literal(c.column()) + "]/td[@data-partition='"
          + c.partition() + "']");
      assertThat(cell).as("the cell of %s on %s", c.column(), c.partition()).hasSize(1);
      assertThat(Page.classes(cell.get(0))).as("the class of %s on %s", c.column(), c.partition())
          .contains(c.status().name().toLowerCase(Locale.ROOT));
      assertThat(cell.get(0).getAttribute("title")).as("the hover title of %s on %s", c.column(), c.partition())
          .startsWith(c.column() + " on " + c.partition() + ": " + c.status()).contains("PSI");
    }
    assertThat(PAGE.all("//td[@data-partition='2026-11-05' and " + hasClass("insufficient") + "]"))
        .as("age, without values on the last day").extracting(e -> e.getTextContent()).containsExactly("n/a");
  }

  @Test
  void listsDriftedFeaturesFirstAndTheScoreInItsOwnRowLast() {
    assertThat(PAGE.all("//table[" + hasClass("heatmap") + "]/tbody/tr[@data-column]"))
        .extracting(e -> e.getAttribute("data-column")).as("drifted (most first), warned, insufficient, ok, score")
        .containsExactly("amount", "merchant_category", HOSTILE, "hour", "age", "channel", "score");
    assertThat(PAGE.all("//tr[" + hasClass("score-row") + "]/@data-column/..")).as("the score row")
        .extracting(e -> e.getAttribute("data-column")).containsExactly("score");
  }

  @Test
  void drawsTheDriftShareOfEveryPartitionAgainstItsThreshold() {
    List<Element> bars = PAGE.all("//rect[" + hasClass("share-bar") + "]");
    assertThat(bars).as("one bar per day").hasSize(5);
    assertThat(bars).extracting(b -> Page.classes(b).contains("drift")).as("only the last day reaches 50%")
        .containsExactly(false, false, false, false, true);
    assertThat(PAGE.all("//td[" + hasClass("share") + "]//line[" + hasClass("threshold") + "]"))
        .as("the threshold in every bar").hasSize(5);
    assertThat(PAGE.all("//td[" + hasClass("share") + "]")).extracting(e -> e.getTextContent().trim())
        .as("the shares: 3 of 5 judged features on the last day").containsExactly("0%", "0%", "0%", "33%", "60%");
  }

  @Test
  void drawsTheDistributionsOfTheDriftedColumnsOnlyInTheirFirstDriftedPartition() {
    List<Element> panels = PAGE.all("//figure[" + hasClass("panel") + "]");
    assertThat(panels).extracting(e -> e.getAttribute("data-column")).as("the drifted columns, most drifted first")
        .containsExactly("amount", "merchant_category", HOSTILE);
    assertThat(panels.get(0).getTextContent()).as("amount's first drifted day").contains("2026-11-04");
    assertThat(panels.get(2).getTextContent()).as("the hostile column's first drifted day").contains("2026-11-05");
  }

  @Test
  void labelsNumericBinsFromTheirEdgesAndPairsTheShares() {
    Element amount = PAGE.all("//figure[@data-column='amount']").get(0);
    List<Element> labels = PAGE.all("//figure[@data-column='amount']//*[local-name()='text' and " + hasClass("label")
        + "]");
    assertThat(labels).extracting(e -> e.getLastChild().getTextContent()).as("bins labelled from the edges")
        .containsExactly("\u2264 10.0", "(10.0, 20.0]", "(20.0, 50.0]", "> 50.0");
    assertThat(PAGE.all("//figure[@data-column='amount']//*[local-name()='rect' and " + hasClass("reference") + "]"))
        .as("a reference bar per bin").hasSize(4);
    assertThat(PAGE.all("//figure[@data-column='amount']//*[local-name()='rect' and " + hasClass("current") + "]"))
        .as("a current bar per bin").hasSize(4);
    assertThat(amount.getTextContent()).as("the shares").contains("25%", "50%", "5.0%");
  }

  @Test
  void marksTheUnseenAndOtherBuckets() {
    String panel = "//figure[@data-column='merchant_category']";
    assertThat(PAGE.all(panel + "//*[local-name()='text' and " + hasClass("flag") + "]"))
        .extracting(e -> e.getAttribute("class") + ":" + e.getTextContent()).as("flags after the categories")
        .containsExactly("flag unseen:NEW", "flag other:SKETCH");
    assertThat(PAGE.all(panel + "//*[local-name()='rect' and " + hasClass("current") + " and " + hasClass("unseen")
        + "]")).as("the unseen bucket's current bar, outlined").hasSize(1);
    assertThat(PAGE.all(panel + "//p")).extracting(Element::getTextContent).as("the share of new categories, said")
        .anyMatch(t -> t.startsWith("25%") && t.contains("never had"));
  }

  @Test
  void drawsThePerformanceTrendOnlyWhenPointsAreGiven() {
    assertThat(PAGE.all("//section[" + hasClass("performance") + "]")).as("with points").hasSize(1);
    Page without = Page.parse(DriftHtmlReport.render(REPORT, List.of()));
    assertThat(without.all("//section[" + hasClass("performance") + "]")).as("without points").isEmpty();
    assertThat(without.all("//figure[" + hasClass("panel") + "]")).as("the rest is there").hasSize(3);
  }

  @Test
  void greysPendingPartitionsAndNeverDrawsThemAsGood() {
    String chart = "//section[" + hasClass("performance") + "]";
    assertThat(PAGE.all(chart + "//*[local-name()='rect' and " + hasClass("coverage") + "]"))
        .as("a coverage bar per partition, pending ones greyed")
        .extracting(e -> Page.classes(e).contains("pending")).containsExactly(false, false, false, true, true);
    assertThat(PAGE.all(chart + "//*[local-name()='rect' and " + hasClass("pending-band") + "]"))
        .as("a grey band behind each pending partition").hasSize(2);
    assertThat(PAGE.all(chart + "//*[local-name()='circle']")).as("points with a value: ok, ok, degraded, pending")
        .extracting(e -> e.getAttribute("class")).containsExactly("pt ok", "pt ok", "pt degraded", "pt pending");
    assertThat(PAGE.all(chart + "//*[local-name()='line' and " + hasClass("metric") + "]"))
        .extracting(e -> Page.classes(e).contains("pending")).as("the segment into a pending point, dashed")
        .containsExactly(false, false, true);
  }

  @Test
  void listsEveryAlertWithTheNewOnesMarked() {
    List<Element> rows = PAGE.all("//table[" + hasClass("alerts") + "]/tbody/tr");
    assertThat(rows).as("one row per alert").hasSize(REPORT.alerts().size());
    assertThat(rows.get(0).getTextContent()).as("alerts before warnings").startsWith("alert");
    assertThat(rows).filteredOn(r -> r.getFirstChild().getTextContent().endsWith(" new")).as("the new ones")
        .hasSize(REPORT.newAlerts().size());
  }

  @Test
  void headerSaysWhatDriftedAndFromWhen() {
    Element verdict = PAGE.all("//p[" + hasClass("verdict") + "]").get(0);
    assertThat(Page.classes(verdict)).as("a drift verdict").contains("drift");
    assertThat(verdict.getTextContent()).as("the verdict")
        .contains("Dataset drift from 2026-11-05", "3 of 6 features drifted", "amount from 2026-11-04");
    assertThat(PAGE.text()).as("the facts").contains("First drifted partition", "2026-11-05 (share \u2265 50%)",
        "2026-11-04 (amount, merchant_category)", "alert " + count(REPORT, "ALERT"), "warn " + count(REPORT, "WARN"));
    assertThat(PAGE.all("//thead/tr/th[" + hasClass("from") + "]")).extracting(Element::getTextContent)
        .as("the first drift marked in the heatmap").containsExactly("first drift2026-11-04");
  }

  @Test
  void saysSoWhenNothingWasCompared() {
    Page page = Page.parse(DriftHtmlReport.render(ReportBuilder.subject("table raw.empty").build(), List.of()));
    assertThat(page.all("//p[" + hasClass("verdict") + "]")).extracting(Element::getTextContent).as("the verdict")
        .containsExactly("No feature drifted in the 0 partitions compared.");
    assertThat(page.all("//td[" + hasClass("hm") + "]")).as("no cell").isEmpty();
    assertThat(page.all("//figure")).as("no panel").isEmpty();
    assertThat(page.text()).as("no alert").contains("No alert was raised.");
  }

  @Test
  void treatsAColumnNamedScoreAsAFeatureOfATable() {
    DriftReport table = ReportBuilder.subject("table raw.transactions").partitions(DAYS)
        .column("score", (c, p) -> numeric(c, p, DriftStatus.DRIFT)).build();
    Page page = Page.parse(DriftHtmlReport.render(table, List.of()));
    assertThat(page.all("//tr[" + hasClass("score-row") + "]")).as("no score row for a table").isEmpty();
    assertThat(page.all("//p[" + hasClass("verdict") + "]").get(0).getTextContent()).as("a feature that drifted")
        .contains("1 of 1 features drifted: score from 2026-11-01");
  }

  @Test
  void drawsAtMostTwelvePanelsAndNamesTheOthers() {
    ReportBuilder many = ReportBuilder.subject("table wide").partitions(DAYS.subList(0, 2));
    for (int i = 1; i <= 14; i++) {
      int driftedDays = i <= 2 ? 2 : 1;
      many.column(String.format(Locale.ROOT, "f%02d", i), (c, p) -> numeric(c, p,
          DAYS.indexOf(p) >= 2 - driftedDays ? DriftStatus.DRIFT : DriftStatus.OK));
    }
    Page page = Page.parse(DriftHtmlReport.render(many.build(), List.of()));
    assertThat(page.all("//figure[" + hasClass("panel") + "]")).as("twelve panels, the most drifted first")
        .hasSize(12).first().extracting(e -> e.getAttribute("data-column")).isEqualTo("f01");
    assertThat(page.all("//section[" + hasClass("distributions") + "]/p")).extracting(Element::getTextContent)
        .as("the others, named").containsExactly("2 more drifted columns not drawn: f13, f14.");
  }

  @Test
  void drawsTheLargestCategoriesAndSumsTheRest() {
    List<dev.mlops.monitoring.drift.Bucket> buckets = new java.util.ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      buckets.add(category(String.format(Locale.ROOT, "c%02d", i), 100 - i, 100 - i));
    }
    buckets.add(unseen(30));
    DriftReport wide = ReportBuilder.subject("table wide").partitions(DAYS.subList(0, 1)).column("city", (c, p) ->
        categorical(c, p, DriftStatus.DRIFT, buckets.toArray(dev.mlops.monitoring.drift.Bucket[]::new))).build();
    Page page = Page.parse(DriftHtmlReport.render(wide, List.of()));
    assertThat(page.all("//figure//*[local-name()='text' and " + hasClass("label") + "]"))
        .extracting(e -> e.getLastChild().getTextContent()).as("the 14 largest categories, then the unseen ones")
        .hasSize(15).startsWith("c01", "c02").endsWith("c14", "new categories");
    assertThat(page.all("//figure//p")).extracting(Element::getTextContent).as("the rest, summed")
        .contains("6 smaller categories not drawn: 28% of the reference, 27% of the current rows.");
  }

  @Test
  void writesToALocalPathAndToAHadoopUri(@TempDir Path dir) throws IOException {
    Path local = dir.resolve("local/report.html");
    DriftHtmlReport.write(REPORT, PERFORMANCE, local.toString(), new Configuration());
    assertThat(Files.readString(local, StandardCharsets.UTF_8)).as("written to a local path").isEqualTo(HTML);
    String uri = DriftHtmlReport.location(dir.toUri().toString(), "model fraud", "run-1");
    DriftHtmlReport.write(REPORT, PERFORMANCE, uri, new Configuration());
    assertThat(Files.readString(dir.resolve("drift/model_fraud/run-1.html"), StandardCharsets.UTF_8))
        .as("written to a file: URI at its location").isEqualTo(HTML);
  }

  @Test
  void failsToWriteUnderAFileNamingTheReport(@TempDir Path dir) throws IOException {
    Path blocker = Files.writeString(dir.resolve("blocker"), "a file, not a folder");
    String uri = blocker.resolve("report.html").toString();
    assertThatThrownBy(() -> DriftHtmlReport.write(REPORT, List.of(), uri, new Configuration()))
        .as("a report under a file").isInstanceOf(PlatformException.class)
        .hasMessageStartingWith("Cannot write the drift report " + uri + ": ")
        .hasMessageEndingWith("check that the folder is writable and the file system's settings (fs.*) reach it");
  }

  @Test
  void locatesAReportUnderTheWarehouseReports() {
    assertThat(DriftHtmlReport.location("s3a://wh/reports/", "table raw.transactions", "drift-7"))
        .as("spaces as _, one trailing slash dropped")
        .isEqualTo("s3a://wh/reports/drift/table_raw.transactions/drift-7.html");
  }

  private static long count(DriftReport r, String severity) {
    return r.alerts().stream().filter(a -> a.severity().name().equals(severity)).count();
  }

  /** An XPath string literal of {@code s}, which holds no double quote. */
  private static String literal(String s) {
    return "\"" + s + "\"";
  }
}
