package dev.mlops.monitoring.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.runs.RunRecorder;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.monitoring.alerts.Alert.Severity;
import dev.mlops.testkit.TestPlatform;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code monitoring.alerts} keeps one row per alert: a re-run raises nothing twice, but an alert
 * whose severity rose is raised again, with its row updated, and one that fell keeps its row.
 */
class TableAlertSinkTest {
  @TempDir Path dir;

  @Test
  void anAlertIsRaisedOnceUnlessItsSeverityRises() {
    TestPlatform platform = TestPlatform.create(dir);
    Warehouse warehouse = Warehouse.of(platform.spark(), platform.config());
    RunRecorder runs = platform.runs(warehouse, Clock.systemUTC());
    TableAlertSink sink = new TableAlertSink(warehouse, Clock.systemUTC());
    Alert warn = psi(0.15, Severity.WARN);
    Alert other = Alert.of("model fraud", "2026-11-02", "amount", "psi", 0.3, 0.25, Severity.ALERT, "amount drifted");

    assertThat(deliver(runs, sink, List.of(warn, other))).containsExactly(warn, other);
    assertThat(deliver(runs, sink, List.of(warn, other))).as("a re-run").isEmpty();

    Alert escalated = psi(0.31, Severity.ALERT);
    assertThat(escalated.id()).isEqualTo(warn.id());
    assertThat(deliver(runs, sink, List.of(escalated, other)))
        .as("the warn became an alert: delivered again").containsExactly(escalated);
    assertThat(stored(warehouse, warn.id())).isEqualTo("alert 0.31");

    assertThat(deliver(runs, sink, List.of(warn))).as("a lower severity").isEmpty();
    assertThat(stored(warehouse, warn.id())).as("keeps the alert").isEqualTo("alert 0.31");
    assertThat(warehouse.read(TableAlertSink.ALERTS).count()).isEqualTo(2);
  }

  /** What {@code sink} delivers of {@code alerts}, in a recorded run. */
  private static List<Alert> deliver(RunRecorder runs, TableAlertSink sink, List<Alert> alerts) {
    return runs.<List<Alert>>run("test", List.of(), r -> sink.deliver(alerts, r));
  }

  private static Alert psi(double value, Severity severity) {
    return Alert.of("model fraud", "2026-11-01", "amount", "psi", value, 0.1, severity, "amount drifted: psi " + value);
  }

  /** The severity and value of the stored row of {@code id}. */
  private static String stored(Warehouse warehouse, String id) {
    List<Row> rows = warehouse.read(TableAlertSink.ALERTS).where("alert_id = '" + id + "'").collectAsList();
    assertThat(rows).hasSize(1);
    return rows.get(0).getAs("severity") + " " + rows.get(0).getAs("value");
  }
}
