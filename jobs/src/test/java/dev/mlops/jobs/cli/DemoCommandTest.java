package dev.mlops.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.demo.DemoData;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** The demo's default calendar: where the drift falls among the served days. */
class DemoCommandTest {
  private static final LocalDate SERVED = LocalDate.of(2026, 11, 1);

  /** Served days whose labels are complete by the end of the data, from the drift date on. */
  private static long maturedDriftedDays(LocalDate drift, int days) {
    LocalDate last = SERVED.plusDays(days - 1);
    return SERVED.datesUntil(last.plusDays(1)).filter(d -> !d.isBefore(drift))
        .filter(d -> !d.plusDays(1 + DemoData.MAX_REPORT_DELAY_DAYS).isAfter(last.plusDays(1))).count();
  }

  @Test
  void withEnoughServedDaysFourMaturedDaysAreDriftedAndADayBeforeThemIsNot() {
    for (int days : new int[] {25, 28, 40}) {
      LocalDate drift = DemoCommand.defaultDriftDate(SERVED, days);
      assertThat(maturedDriftedDays(drift, days)).as("%d served days, drift %s", days, drift)
          .isEqualTo(DemoCommand.MATURED_DRIFT_DAYS);
      assertThat(drift).as("a served day before the drift").isAfter(SERVED);
    }
    assertThat(DemoCommand.defaultDriftDate(SERVED, 28)).isEqualTo(LocalDate.of(2026, 11, 5));
  }

  @Test
  void withFewServedDaysTheLastThreeDrift() {
    assertThat(DemoCommand.defaultDriftDate(SERVED, 24)).isEqualTo(SERVED.plusDays(21));
    assertThat(DemoCommand.defaultDriftDate(SERVED, 5)).isEqualTo(SERVED.plusDays(2));
  }
}
