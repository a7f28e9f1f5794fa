package dev.mlops.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import dev.mlops.monitoring.alerts.Alert;
import dev.mlops.monitoring.performance.PerformanceReport;
import dev.mlops.monitoring.rollback.RollbackDecision;
import dev.mlops.training.canary.RampStep;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code mlops monitor performance}'s arguments, checked before anything is read. */
class MonitorCommandTest {
  @Test
  void asOfTakesAnInstantALocalTimeOrADayAllInUtc() {
    assertThat(MonitorCommand.asOf("2026-12-01T06:00:00Z")).as("an instant").isEqualTo(Instant.parse("2026-12-01T06:00:00Z"));
    assertThat(MonitorCommand.asOf("2026-12-01T07:00:00+01:00")).as("with an offset")
        .isEqualTo(Instant.parse("2026-12-01T06:00:00Z"));
    assertThat(MonitorCommand.asOf("2026-12-01T06:00")).as("a local time, UTC").isEqualTo(Instant.parse("2026-12-01T06:00:00Z"));
    assertThat(MonitorCommand.asOf("2026-12-01")).as("a day: its start").isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
    assertThatThrownBy(() -> MonitorCommand.asOf("yesterday")).hasMessage("--as-of yesterday: expected a time such as"
        + " 2026-12-01T06:00:00Z, 2026-12-01T06:00 (UTC) or 2026-12-01 (its start, UTC)");
  }

  @Test
  void aDayOrARangeIsRequiredAndTheSeverityMustBeKnown() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = MlopsCommand.execute(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), "monitor", "performance", "--model", "fraud", "--start",
        "2026-11-01");
    assertThat(code).as("exit code").isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).as("stderr")
        .startsWith("error: mlops monitor performance: give --date D, or --start D1 --end D2, or --matured");
    ByteArrayOutputStream both = new ByteArrayOutputStream();
    assertThat(MlopsCommand.execute(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(both, true, StandardCharsets.UTF_8), "monitor", "performance", "--model", "fraud", "--date",
        "2026-11-01", "--matured")).as("a day and --matured").isEqualTo(1);
    assertThat(both.toString(StandardCharsets.UTF_8)).contains("or --matured");
    assertThatThrownBy(() -> MonitorCommand.severity("loud"))
        .hasMessage("mlops monitor performance --fail-on loud: expected warn or alert");
  }

  @Test
  void failOnCountsTheAlertsOfTheRollbackPolicyAndTheCanaryBesideTheDays() {
    Instant at = Instant.parse("2026-11-20T00:00:00Z");
    PerformanceReport quiet = new PerformanceReport("fraud", "roc_auc", 0.1, Duration.ofDays(1), "exclude", at, null,
        List.of(), List.of(), List.of(), List.of(), at);
    RollbackDecision none = new RollbackDecision("fraud", "none", 1, -1, List.of(), "no breach");
    Alert breach = Alert.of("model fraud", "2026-11-01", "rollback:v2", "roc_auc", 0.5, 0.8, Alert.Severity.ALERT, "past");
    LocalDate day = LocalDate.of(2026, 11, 1);
    RampStep up = new RampStep("fraud", "canary", day, day.plusDays(2), 1, 0.3, "up", "roc_auc", 1, 1, 30, null, "holds");
    RampStep stop = new RampStep("fraud", "canary", day, day.plusDays(2), -1, 0.0, "stop", "roc_auc", 0, 1, 30, "a1", "fails");
    RampStep proposed = new RampStep("fraud", "canary", day, day.plusDays(2), 3, 1.0, "proposed", "roc_auc", 1, 1, 30, "a2",
        "proposed");

    assertThat(new MonitorCommand.Measured(quiet, none, List.of(up)).raised()).as("nothing raised").isEmpty();
    assertThat(new MonitorCommand.Measured(quiet, new RollbackDecision("fraud", "rolled_back", 2, 1, List.of(breach),
        "rolled back"), List.of()).raised()).containsExactly(Alert.Severity.ALERT);
    assertThat(new MonitorCommand.Measured(quiet, none, List.of(up, stop)).raised()).containsExactly(Alert.Severity.ALERT);
    assertThat(new MonitorCommand.Measured(quiet, none, List.of(proposed)).raised()).containsExactly(Alert.Severity.WARN);
  }
}
