package dev.mlops.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
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
        .startsWith("error: mlops monitor performance: give --date D, or --start D1 --end D2");
    assertThatThrownBy(() -> MonitorCommand.severity("loud"))
        .hasMessage("mlops monitor performance --fail-on loud: expected warn or alert");
  }
}
