package dev.mlops.monitoring.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.monitoring.report.PerformancePoint.Status;
import org.junit.jupiter.api.Test;

class PerformancePointTest {
  @Test
  void keepsAPendingPointWithoutAValue() {
    PerformancePoint p = new PerformancePoint("2026-11-09", 0.1, null, "auc", Status.PENDING);
    assertThat(p.metricValue()).as("no value yet").isNull();
  }

  @Test
  void rejectsACoverageOutsideZeroToOne() {
    assertThatThrownBy(() -> new PerformancePoint("2026-11-09", 1.2, 0.9, "auc", Status.OK)).as("coverage 1.2")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("labelCoverage 1.2 of partition 2026-11-09 is not a share in [0, 1]");
    assertThatThrownBy(() -> new PerformancePoint("2026-11-09", Double.NaN, 0.9, "auc", Status.OK)).as("coverage NaN")
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsAMissingStatus() {
    assertThatThrownBy(() -> new PerformancePoint("2026-11-09", 0.5, 0.9, "auc", null)).as("no status")
        .isInstanceOf(NullPointerException.class).hasMessage("status == null");
  }
}
