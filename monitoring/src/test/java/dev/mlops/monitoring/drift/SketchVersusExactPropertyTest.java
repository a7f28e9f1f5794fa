package dev.mlops.monitoring.drift;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.junit.jupiter.api.Test;

/**
 * The metrics of sketches against the same metrics of the exact data, on seeded random data of
 * 1,000 to 200,000 values a side: KS within the reported rank-error bound, PSI within its derived
 * error bound, chi-squared and Jensen-Shannon of frequent-items sketches below capacity equal.
 */
class SketchVersusExactPropertyTest {
  static final int[] SIZES = {1_000, 10_000, 50_000, 200_000};

  /** A side: its values, drawn by {@code shape} from standard normals, and their KLL sketch. */
  record Side(ExactNumeric exact, KllNumeric sketch) {
    static Side draw(SplittableRandom random, int n, DoubleUnaryOperator shape) {
      double[] values = new double[n];
      KllDoublesSketch sketch = KllDoublesSketch.newHeapInstance(200);
      for (int i = 0; i < n; i++) {
        values[i] = shape.applyAsDouble(random.nextGaussian());
        sketch.update(values[i]);
      }
      return new Side(ExactNumeric.of(values), KllNumeric.of(sketch));
    }
  }

  /** Pairs of sides: same distribution, shifted, scaled, log-normal against a shifted log-normal. */
  static List<Side[]> pairs() {
    List<Side[]> pairs = new ArrayList<>();
    long seed = 1;
    for (int n : SIZES) {
      for (DoubleUnaryOperator shape : List.<DoubleUnaryOperator>of(z -> z, z -> z + 0.1, z -> 1.5 * z,
          z -> Math.exp(z + 0.3))) {
        SplittableRandom random = new SplittableRandom(seed++);
        pairs.add(new Side[] {Side.draw(random, n, z -> z), Side.draw(random, n * 3 / 4, shape)});
      }
    }
    return pairs;
  }

  @Test
  void ksStatisticOfKllSketchesStaysWithinTheReportedRankErrorBound() {
    KolmogorovSmirnov ks = new KolmogorovSmirnov();
    for (Side[] pair : pairs()) {
      DriftResult exact = ks.compute(pair[0].exact(), pair[1].exact());
      DriftResult sketch = ks.compute(pair[0].sketch(), pair[1].sketch());
      double bound = ((DriftDetails.KsDetails) sketch.details()).rankErrorBound();
      assertThat(Math.abs(sketch.value() - exact.value()))
          .as("n = %d: D sketch %s vs exact %s, bound %s", pair[0].exact().count(), sketch.value(), exact.value(), bound)
          .isLessThanOrEqualTo(bound);
      DriftResult mixed = ks.compute(pair[0].exact(), pair[1].sketch());
      assertThat(Math.abs(mixed.value() - exact.value())).as("n = %d: exact reference, sketch current",
          pair[0].exact().count()).isLessThanOrEqualTo(((DriftDetails.KsDetails) mixed.details()).rankErrorBound());
    }
  }

  @Test
  void psiOfKllSketchesStaysWithinTheDerivedErrorBound() {
    PopulationStabilityIndex psi = new PopulationStabilityIndex();
    for (Side[] pair : pairs()) {
      DriftResult exact = psi.compute(pair[0].exact(), pair[1].exact());
      for (DriftResult sketch : List.of(psi.compute(pair[0].sketch(), pair[1].sketch()),
          psi.compute(pair[0].exact(), pair[1].sketch()), psi.compute(pair[0].sketch(), pair[1].exact()))) {
        DriftDetails.PsiDetails details = (DriftDetails.PsiDetails) sketch.details();
        assertThat(details.edges()).as("continuous data: as many cuts as the exact PSI")
            .hasSameSizeAs(((DriftDetails.PsiDetails) exact.details()).edges());
        assertThat(Math.abs(sketch.value() - exact.value())).as("n = %d: PSI sketch %s vs exact %s, bound %s",
            pair[0].exact().count(), sketch.value(), exact.value(), details.errorBound())
            .isLessThanOrEqualTo(details.errorBound());
      }
    }
  }

  @Test
  void chiSquaredAndJensenShannonOfFrequentItemsBelowCapacityEqualExact() {
    for (long seed = 1; seed <= 4; seed++) {
      SplittableRandom random = new SplittableRandom(seed);
      int categories = 40 * (int) seed; // 40 .. 160, below the 192 a 256-map sketch holds exactly
      List<String> reference = draw(random, 200_000, categories, 2.0);
      List<String> current = draw(random, 150_000, categories + 8, 2.2);
      CategoricalDistribution exactReference = ExactCategorical.ofValues(reference);
      CategoricalDistribution exactCurrent = ExactCategorical.ofValues(current);
      CategoricalDistribution sketchReference = FrequentItemsCategorical.of(sketch(reference));
      CategoricalDistribution sketchCurrent = FrequentItemsCategorical.of(sketch(current));
      for (CategoricalDriftMetric metric : List.of(new ChiSquared(), new JensenShannon(), new PopulationStabilityIndex())) {
        assertThat(metric.compute(sketchReference, sketchCurrent)).as("seed %d, %d categories: %s", seed, categories,
            metric.name()).isEqualTo(metric.compute(exactReference, exactCurrent));
      }
    }
  }

  static List<String> draw(SplittableRandom random, int n, int categories, double skew) {
    List<String> values = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      values.add("v" + (int) Math.floor(Math.pow(random.nextDouble(), skew) * categories));
    }
    return values;
  }

  static ItemsSketch<String> sketch(List<String> values) {
    ItemsSketch<String> sketch = new ItemsSketch<>(256);
    values.forEach(sketch::update);
    return sketch;
  }
}
