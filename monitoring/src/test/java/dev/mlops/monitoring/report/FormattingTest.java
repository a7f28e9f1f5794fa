package dev.mlops.monitoring.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.monitoring.performance.PerformancePoint;
import dev.mlops.monitoring.performance.PerformanceStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class FormattingTest {
  @Test
  void printsValuesWithAboutThreeSignificantDigits() {
    assertThat(List.of(0.41234, 3.14159, 27.54, 1234.5, 0.00002, 0.0, Double.NaN, Double.POSITIVE_INFINITY))
        .extracting(Numbers::value).as("values")
        .containsExactly("0.412", "3.14", "27.5", "1,235", "2.0e-05", "0", "n/a", "+inf");
  }

  @Test
  void printsSharesAsPercentsAndPValuesWithAFloor() {
    assertThat(List.of(0.4234, 0.0423, 0.0, 1.0, Double.NaN)).extracting(Numbers::percent).as("shares")
        .containsExactly("42%", "4.2%", "0%", "100%", "n/a");
    assertThat(List.of(1e-12, 0.0412)).extracting(Numbers::pValue).as("p-values").containsExactly("< 0.001", "0.041");
  }

  @Test
  void roundsTheMetricAxisToTicksAroundTheValues() {
    List<PerformancePoint> points = List.of(new PerformancePoint("d1", 1, "auc", 0.915, PerformanceStatus.OK),
        new PerformancePoint("d2", 1, "auc", 0.861, PerformanceStatus.DEGRADED),
        new PerformancePoint("d3", 0, "auc", Double.NaN, PerformanceStatus.PENDING));
    assertThat(PerformanceChart.range(points)).as("four ticks of 0.025").containsExactly(new double[] {0.85, 0.95},
        org.assertj.core.data.Offset.offset(1e-9));
    assertThat(PerformanceChart.range(points.subList(2, 3))).as("no value").containsExactly(0, 1);
  }

  @Test
  void escapesTheFiveCharactersOfMarkup() {
    assertThat(Html.esc("<a href=\"x\">Tom & 'Jerry'</a>")).as("escaped")
        .isEqualTo("&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;");
    assertThat(Html.esc(null)).as("null").isEmpty();
  }
}
