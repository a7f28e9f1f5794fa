package dev.mlops.monitoring.drift;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.junit.jupiter.api.Test;

/** The KLL distribution: inclusive ranks, its rank error, a snapshot of the sketch. */
class KllNumericTest {

  static KllDoublesSketch sketchOf(double[] values) {
    KllDoublesSketch sketch = KllDoublesSketch.newHeapInstance(200);
    for (double v : values) {
      sketch.update(v);
    }
    return sketch;
  }

  @Test
  void sketchHoldingEveryValueIsTheExactDistribution() {
    double[] values = new SplittableRandom(1).doubles(150).map(u -> Math.floor(u * 40)).toArray();
    KllNumeric kll = KllNumeric.of(sketchOf(values));
    ExactNumeric exact = ExactNumeric.of(values);
    assertThat(kll.rankError()).as("rank error while no value was dropped").isZero();
    assertThat(kll.splitPoints()).as("split points").containsExactly(exact.splitPoints());
    for (int i = 0; i <= 20; i++) {
      double q = i / 20.0;
      assertThat(kll.quantile(q)).as("quantile(%s)", q).isEqualTo(exact.quantile(q));
    }
    for (double x : exact.splitPoints()) {
      assertThat(kll.cdf(x)).as("cdf(%s)", x).isEqualTo(exact.cdf(x));
    }
  }

  @Test
  void sketchThatDroppedValuesReportsItsSingleRankError() {
    KllDoublesSketch sketch = sketchOf(new SplittableRandom(2).doubles(100_000).toArray());
    KllNumeric kll = KllNumeric.of(sketch);
    assertThat(kll.count()).as("count").isEqualTo(100_000);
    assertThat(kll.rankError()).as("rank error").isEqualTo(sketch.getNormalizedRankError(false)).isBetween(0.01, 0.02);
    assertThat(kll.splitPoints()).as("retained items with the minimum and maximum")
        .hasSizeLessThan(2_000).contains(sketch.getMinItem(), sketch.getMaxItem());
  }

  @Test
  void laterUpdatesOfTheSketchDoNotShow() {
    KllDoublesSketch sketch = sketchOf(new double[] {1, 2, 3});
    KllNumeric kll = KllNumeric.of(sketch);
    sketch.update(100);
    assertThat(kll.count()).as("count").isEqualTo(3);
    assertThat(kll.cdf(3)).as("cdf(3)").isEqualTo(1.0);
  }

  @Test
  void emptySketchHasNoValues() {
    KllNumeric kll = KllNumeric.of(KllDoublesSketch.newHeapInstance(200));
    assertThat(kll.count()).as("count").isZero();
    assertThat(kll.cdf(0)).as("cdf").isNaN();
    assertThat(kll.quantile(0.5)).as("quantile").isNaN();
    assertThat(kll.splitPoints()).as("split points").isEmpty();
  }
}
