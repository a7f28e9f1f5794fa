package dev.mlops.monitoring.drift;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one-sample Kolmogorov distribution against scipy.stats.kstwo.sf on every branch. */
class KolmogorovTest {

  @Test
  void survivalFunctionMatchesScipyKstwoOnEveryBranchWithin1e6Relative() {
    List<JsonNode> points = DriftFixtures.items("kstwo_sf.json", "points");
    assertThat(points).as("grid points").hasSizeGreaterThan(300);
    for (JsonNode point : points) {
      long n = point.get("n").longValue();
      double x = point.get("x").doubleValue();
      double expected = point.get("sf").doubleValue();
      double actual = Kolmogorov.sf(n, x);
      assertThat(DriftFixtures.relative(actual, expected))
          .as("kstwo.sf(%s, %d): scipy %s, ours %s", x, n, expected, actual).isLessThanOrEqualTo(1e-6);
    }
  }

  @Test
  void survivalFunctionIsOneAtZeroAndZeroAtOne() {
    assertThat(Kolmogorov.sf(10, 0.0)).as("P(D >= 0)").isEqualTo(1.0);
    assertThat(Kolmogorov.sf(10, 1.0)).as("P(D >= 1)").isEqualTo(0.0);
    assertThat(Kolmogorov.sf(0, 0.5)).as("n = 0 is undefined").isNaN();
  }
}
