package dev.mlops.monitoring.drift;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.junit.jupiter.api.Test;

/** The frequent-items distribution: exact below the sketch's capacity, an other bucket beyond. */
class FrequentItemsCategoricalTest {

  @Test
  void belowCapacityItIsTheExactDistribution() {
    ItemsSketch<String> sketch = new ItemsSketch<>(256);
    java.util.List<String> values = new java.util.ArrayList<>();
    SplittableRandom random = new SplittableRandom(4);
    for (int i = 0; i < 20_000; i++) {
      String v = "c" + (int) Math.floor(Math.pow(random.nextDouble(), 2) * 150);
      sketch.update(v);
      values.add(v);
    }
    FrequentItemsCategorical d = FrequentItemsCategorical.of(sketch);
    assertThat(d.maximumError()).as("maximum error").isZero();
    assertThat(d.counts()).as("counts").isEqualTo(ExactCategorical.ofValues(values).counts());
    assertThat(d.other()).as("other").isZero();
    assertThat(d.count()).as("count").isEqualTo(20_000);
  }

  @Test
  void beyondCapacityTheUncertainTailGoesToOther() {
    ItemsSketch<String> sketch = new ItemsSketch<>(256);
    SplittableRandom random = new SplittableRandom(5);
    for (int i = 0; i < 100_000; i++) {
      sketch.update("c" + (int) Math.floor(Math.pow(random.nextDouble(), 3) * 5_000));
    }
    FrequentItemsCategorical d = FrequentItemsCategorical.of(sketch);
    assertThat(d.maximumError()).as("maximum error").isPositive();
    assertThat(d.counts().values()).as("every kept count is above the maximum error")
        .allSatisfy(c -> assertThat(c).isGreaterThan(d.maximumError()));
    assertThat(d.other()).as("other").isPositive()
        .isEqualTo(d.count() - d.counts().values().stream().mapToLong(Long::longValue).sum());
  }
}
