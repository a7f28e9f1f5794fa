package dev.mlops.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.pipeline.StepStatus;
import dev.mlops.core.tables.Json;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The demo's summary, read from the result documents of the steps it ran. */
class DemoSummaryTest {
  private static final LocalDate DAY = LocalDate.of(2026, 11, 30);

  private static StepResult monitor(String step, List<String> command, String json) throws Exception {
    return new StepResult(step, DAY, null, StepStatus.SUCCEEDED, 1, Duration.ZERO, null, List.of("run-" + step), null,
        command, Json.mapper().readTree(json));
  }

  private static JsonNode rollbackOf(List<StepResult> steps) {
    Map<String, Object> json = DemoSummary.of(steps);
    return (JsonNode) ((Map<?, ?>) json.get("monitoring")).get("rollback");
  }

  @Test
  void theRollbackIsTheDecisionThatWouldHaveActedNotTheLaterRunsThatFoundItDecided() throws Exception {
    StepResult range = monitor("monitor_performance", List.of("monitor", "performance", "--model", "fraud", "--start",
        "2026-11-01", "--end", "2026-11-30"), "{\"partitions\": [], \"rollback\": {\"action\": \"dry_run\","
        + " \"from_version\": 2, \"to_version\": 1, \"alert_ids\": [\"a\", \"b\", \"c\"], \"reason\": \"r\"}}");
    StepResult matured = monitor("monitor_matured", List.of("monitor", "performance", "--model", "fraud", "--matured"),
        "{\"partitions\": [], \"rollback\": {\"action\": \"already_decided\", \"from_version\": 2, \"to_version\": 1,"
        + " \"alert_ids\": [\"a\", \"b\", \"c\"], \"reason\": \"again\"}}");

    JsonNode decided = rollbackOf(List.of(range, matured));
    assertThat(decided.get("action").asText()).isEqualTo("dry_run");
    assertThat(decided.get("to_version").asInt()).isEqualTo(1);
    @SuppressWarnings("unchecked")
    Map<String, Object> monitoring = (Map<String, Object>) DemoSummary.of(List.of(range, matured)).get("monitoring");
    assertThat(monitoring.keySet()).as("both runs are kept").contains("performance", "matured_performance", "rollback");

    StepResult none = monitor("monitor_performance", range.command(), "{\"rollback\": {\"action\": \"none\","
        + " \"reason\": \"no 3 consecutive matured days\"}}");
    assertThat(rollbackOf(List.of(none, matured)).get("action").asText()).as("without a decision that acted: the last")
        .isEqualTo("already_decided");
    assertThat(rollbackOf(List.of(none)).get("reason").asText()).isEqualTo("no 3 consecutive matured days");
  }
}
