package dev.mlops.monitoring.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The exact categorical distribution. */
class ExactCategoricalTest {

  @Test
  void valuesAreCountedInOrderOfFirstAppearanceWithoutNulls() {
    ExactCategorical d = ExactCategorical.ofValues(Arrays.asList("b", "a", null, "b", "c", "b"));
    assertThat(d.counts()).as("counts").containsExactly(Map.entry("b", 3L), Map.entry("a", 1L), Map.entry("c", 1L));
    assertThat(d.count()).as("count").isEqualTo(5);
    assertThat(d.other()).as("other").isZero();
  }

  @Test
  void countsAreCopiedAndUnmodifiable() {
    Map<String, Long> counts = new LinkedHashMap<>(Map.of("a", 2L));
    ExactCategorical d = ExactCategorical.of(counts);
    counts.put("b", 5L);
    assertThat(d.counts()).as("a copy").containsOnlyKeys("a");
    assertThatThrownBy(() -> d.counts().put("c", 1L)).as("unmodifiable").isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void negativeCountIsRefused() {
    assertThatThrownBy(() -> ExactCategorical.of(Map.of("a", -1L))).as("negative count")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("counts must map non-null categories to counts >= 0, not a -> -1 (nulls are not a category: "
            + "count them apart)");
  }
}
