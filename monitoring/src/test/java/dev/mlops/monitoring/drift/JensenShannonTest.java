package dev.mlops.monitoring.drift;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The Jensen-Shannon distance against scipy.spatial.distance.jensenshannon(base=2), and its levels. */
class JensenShannonTest {

  static Stream<Named<JsonNode>> scipyCases() {
    return DriftFixtures.namedCases("categorical.json");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scipyCases")
  void distanceMatchesScipyJensenShannonBase2(JsonNode fixture) {
    DriftResult result = new JensenShannon().compute(DriftFixtures.categorical(fixture.get("reference")),
        DriftFixtures.categorical(fixture.get("current")));
    assertThat(result.value()).as("JS distance")
        .isCloseTo(fixture.get("jensenshannon").doubleValue(), Offset.offset(1e-12));
    assertThat(result.pValue()).as("no p-value").isEmpty();
  }

  @Test
  void disjointCategoriesAreAtDistanceOne() {
    DriftResult result = new JensenShannon().compute(ExactCategorical.of(Map.of("a", 5L)),
        ExactCategorical.of(Map.of("b", 9L)));
    assertThat(result.value()).as("distance").isCloseTo(1.0, Offset.offset(1e-15));
    assertThat(result.status()).as("status").isEqualTo(DriftStatus.DRIFT);
  }

  @Test
  void levelsGiveOkWarnAndDrift() {
    ExactCategorical reference = ExactCategorical.of(Map.of("a", 500L, "b", 500L));
    assertThat(new JensenShannon().compute(reference, ExactCategorical.of(Map.of("a", 510L, "b", 490L))).status())
        .as("a 1%% shift").isEqualTo(DriftStatus.OK);
    assertThat(new JensenShannon().compute(reference, ExactCategorical.of(Map.of("a", 580L, "b", 420L))).status())
        .as("an 8%% shift").isEqualTo(DriftStatus.OK);
    DriftResult warn = new JensenShannon().compute(reference, ExactCategorical.of(Map.of("a", 650L, "b", 350L)));
    assertThat(warn.value()).as("a 15%% shift").isBetween(0.1, 0.2);
    assertThat(warn.status()).as("a 15%% shift").isEqualTo(DriftStatus.WARN);
    assertThat(warn.thresholds()).as("levels").containsExactly(Map.entry("warn", 0.1), Map.entry("alert", 0.2));
  }
}
