package dev.mlops.monitoring.airflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunIdsTest {
  private static final Instant DAY = Instant.parse("2026-12-01T00:00:00Z");
  private static final Instant NOW = Instant.parse("2026-12-06T10:00:00.750Z");

  @Test
  void aDerivedIdDependsOnTheDagTheLogicalDateAndTheConfNotOnKeyOrderOrTime() {
    Map<String, Object> ab = new LinkedHashMap<>();
    ab.put("a", 1);
    ab.put("b", Map.of("x", "y"));
    Map<String, Object> ba = new LinkedHashMap<>();
    ba.put("b", Map.of("x", "y"));
    ba.put("a", 1);
    String id = RunIds.derive("train", DAY, ab, NOW);

    assertThat(id).matches("mlops__2026-12-01T00:00:00Z__[0-9a-f]{12}");
    assertThat(RunIds.derive("train", DAY, ba, NOW.plusSeconds(86_400))).as("same request, another day").isEqualTo(id);
    assertThat(RunIds.derive("score", DAY, ab, NOW)).as("another DAG").isNotEqualTo(id);
    assertThat(RunIds.derive("train", DAY.plusSeconds(86_400), ab, NOW)).as("another date").isNotEqualTo(id);
    assertThat(RunIds.derive("train", DAY, Map.of("a", 2), NOW)).as("another conf").isNotEqualTo(id);
  }

  @Test
  void withoutALogicalDateTheIdIsThatOfTheSecondTheTriggerStarted() {
    String id = RunIds.derive("train", null, Map.of(), NOW);

    assertThat(id).startsWith("mlops__2026-12-06T10:00:00Z__");
    assertThat(RunIds.derive("train", null, Map.of(), NOW.plusMillis(200))).as("same second").isEqualTo(id);
    assertThat(RunIds.derive("train", null, Map.of(), NOW.plusSeconds(1))).as("a later call").isNotEqualTo(id);
  }

  @Test
  void anIdFromAKeyIsStableSafeAndUnique() {
    String id = RunIds.fromKey("drift/fraud@2026-12-01 psi>0.2");

    assertThat(id).isEqualTo(RunIds.fromKey("drift/fraud@2026-12-01 psi>0.2"))
        .matches("mlops__drift_fraud_2026-12-01_psi_0\\.2__[0-9a-f]{12}");
    assertThat(RunIds.fromKey("drift_fraud@2026-12-01 psi>0.2")).as("same safe text, another key").isNotEqualTo(id);
    assertThat(RunIds.fromKey("k".repeat(1000))).hasSize("mlops__".length() + 200 + 2 + 12);
    assertThatThrownBy(() -> RunIds.fromKey(" ")).hasMessage("key is blank");
  }
}
