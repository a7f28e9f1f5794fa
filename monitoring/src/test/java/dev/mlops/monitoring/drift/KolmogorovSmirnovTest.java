package dev.mlops.monitoring.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.PlatformException;
import dev.mlops.monitoring.drift.KolmogorovSmirnov.Method;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The two-sample KS test against scipy.stats.ks_2samp, and its verdicts. */
class KolmogorovSmirnovTest {

  static Stream<Named<JsonNode>> scipyCases() {
    return DriftFixtures.namedCases("ks_2samp.json");
  }

  static DriftResult ks(JsonNode fixture, Method method) {
    return new KolmogorovSmirnov(DriftThresholds.defaults(), method).compute(
        ExactNumeric.of(DriftFixtures.doubles(fixture.get("reference"))),
        ExactNumeric.of(DriftFixtures.doubles(fixture.get("current"))));
  }

  static void assertMatchesScipy(JsonNode fixture, Method method, String scipyMethod) {
    DriftResult result = ks(fixture, method);
    JsonNode expected = fixture.get(scipyMethod);
    String name = fixture.get("name").asText();
    assertThat(result.value()).as("%s: D (%s)", name, scipyMethod)
        .isCloseTo(expected.get("statistic").doubleValue(), org.assertj.core.data.Offset.offset(1e-12));
    double p = result.pValue().orElseThrow();
    if (expected.get("pvalue").isNull()) {
      // One value against one: scipy's asymptotic n is round(0.5) = 0 and its p-value NaN; ours is 1.
      assertThat(p).as("%s: p-value where scipy gives NaN", name).isEqualTo(1.0);
    } else {
      double scipyP = expected.get("pvalue").doubleValue();
      assertThat(DriftFixtures.relative(p, scipyP)).as("%s: p-value (%s) %s vs scipy %s", name, scipyMethod, p, scipyP)
          .isLessThanOrEqualTo(1e-6);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scipyCases")
  void exactMethodMatchesScipyExactStatisticAndPValue(JsonNode fixture) {
    assertMatchesScipy(fixture, Method.EXACT, "exact");
    assertThat(fixture.get("exact").get("fell_back").booleanValue()).as("scipy stayed exact").isFalse();
    assertThat(((DriftDetails.KsDetails) ks(fixture, Method.EXACT).details()).used()).as("method used")
        .isEqualTo(Method.EXACT);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scipyCases")
  void asympMethodMatchesScipyAsympStatisticAndPValue(JsonNode fixture) {
    assertMatchesScipy(fixture, Method.ASYMP, "asymp");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scipyCases")
  void autoMethodChoosesAsScipyAutoDoes(JsonNode fixture) {
    assertMatchesScipy(fixture, Method.AUTO, "auto");
    long larger = Math.max(fixture.get("reference").size(), fixture.get("current").size());
    assertThat(((DriftDetails.KsDetails) ks(fixture, Method.AUTO).details()).used()).as("AUTO with max(m, n) = %d",
        larger).isEqualTo(larger <= 10_000 ? Method.EXACT : Method.ASYMP);
  }

  @Test
  void emptyCurrentSideIsInsufficientWithAReason() {
    DriftResult result = new KolmogorovSmirnov().compute(ExactNumeric.of(1, 2, 3), ExactNumeric.of(Double.NaN));
    assertThat(result.status()).as("status").isEqualTo(DriftStatus.INSUFFICIENT);
    assertThat(result.value()).as("value").isNaN();
    assertThat(result.pValue()).as("p-value").isEmpty();
    assertThat(result.details()).as("details").isEqualTo(new DriftDetails.InsufficientData(
        "the current data has no values (nulls and NaNs are not counted); compare once both sides have data"));
  }

  @Test
  void bothSidesEmptyNamesBoth() {
    DriftResult result = new KolmogorovSmirnov().compute(ExactNumeric.of(), ExactNumeric.of());
    assertThat(((DriftDetails.InsufficientData) result.details()).reason()).as("reason")
        .startsWith("both the reference and the current data have no values");
  }

  @Test
  void driftNeedsBothASmallPValueAndTheMinimumStatistic() {
    SplittableRandom random = new SplittableRandom(3);
    double[] reference = random.doubles(20_000).map(u -> u).toArray();
    double[] tinyShift = random.doubles(20_000).map(u -> u + 0.04).toArray();
    double[] largeShift = random.doubles(20_000).map(u -> u + 0.2).toArray();
    KolmogorovSmirnov ks = new KolmogorovSmirnov();

    DriftResult small = ks.compute(ExactNumeric.of(reference), ExactNumeric.of(tinyShift));
    assertThat(small.pValue().orElseThrow()).as("a 0.04 shift on 20000 values is significant").isLessThan(0.05);
    assertThat(small.value()).as("but D is below 0.1").isLessThan(0.1);
    assertThat(small.status()).as("so no drift").isEqualTo(DriftStatus.OK);

    DriftResult large = ks.compute(ExactNumeric.of(reference), ExactNumeric.of(largeShift));
    assertThat(large.status()).as("a 0.2 shift").isEqualTo(DriftStatus.DRIFT);
    assertThat(large.effectSize().orElseThrow()).as("effect size is D").isEqualTo(large.value());
    assertThat(large.thresholds()).as("thresholds used").containsExactly(Map.entry("alpha", 0.05),
        Map.entry("minStatistic", 0.1));

    DriftResult strict = new KolmogorovSmirnov(DriftThresholds.defaults().withKs(0.05, 0.03), Method.AUTO)
        .compute(ExactNumeric.of(reference), ExactNumeric.of(tinyShift));
    assertThat(strict.status()).as("with a minimum D of 0.03").isEqualTo(DriftStatus.DRIFT);
  }

  @Test
  void sketchSideGetsTheAsymptoticPValueAndTheRankErrorBound() {
    SplittableRandom random = new SplittableRandom(11);
    KllDoublesSketch sketch = KllDoublesSketch.newHeapInstance(200);
    double[] values = random.doubles(50_000).toArray();
    for (double v : values) {
      sketch.update(v);
    }
    KllNumeric current = KllNumeric.of(sketch);
    DriftResult result = new KolmogorovSmirnov(DriftThresholds.defaults(), Method.EXACT)
        .compute(ExactNumeric.of(random.doubles(5_000).toArray()), current);
    DriftDetails.KsDetails details = (DriftDetails.KsDetails) result.details();
    assertThat(details.used()).as("method used").isEqualTo(Method.ASYMP);
    assertThat(details.requested()).as("method asked for").isEqualTo(Method.EXACT);
    assertThat(details.note()).as("note").contains("sketch");
    assertThat(details.rankErrorBound()).as("bound = the sketch's rank error")
        .isEqualTo(sketch.getNormalizedRankError(false));
    assertThat(details.effectiveN()).as("round(m n / (m + n))").isEqualTo(Math.round(5_000.0 * 50_000 / 55_000));
  }

  @Test
  void exactBeyondTheLatticeLimitFallsBackToAsymptoticWithANote() {
    SplittableRandom random = new SplittableRandom(5);
    // lcm(50000, 49999) = 2.5e9 >= 2^31: scipy switches to asymp too.
    DriftResult result = new KolmogorovSmirnov(DriftThresholds.defaults(), Method.EXACT).compute(
        ExactNumeric.of(random.doubles(50_000).toArray()), ExactNumeric.of(random.doubles(49_999).toArray()));
    DriftDetails.KsDetails details = (DriftDetails.KsDetails) result.details();
    assertThat(details.used()).as("method used").isEqualTo(Method.ASYMP);
    assertThat(details.note()).as("note").contains("lcm(m, n) is too large");
  }

  @Test
  void exactThatWouldTakeTooLongFallsBackToAsymptoticWithANote() {
    SplittableRandom random = new SplittableRandom(6);
    // lcm(70000, 30001) = 2.1e9 fits below 2^31, but D = 0.8 makes 2 D m n = 3.4e9 steps.
    DriftResult result = new KolmogorovSmirnov(DriftThresholds.defaults(), Method.EXACT).compute(
        ExactNumeric.of(random.doubles(70_000).toArray()), ExactNumeric.of(random.doubles(30_001, 0.8, 1.8).toArray()));
    DriftDetails.KsDetails details = (DriftDetails.KsDetails) result.details();
    assertThat(details.used()).as("method used").isEqualTo(Method.ASYMP);
    assertThat(details.note()).as("note").contains("2e9 steps");
  }

  @Test
  void categoricalColumnIsRefusedWithTheColumnAndTheMetricsThatApply() {
    ExactCategorical side = ExactCategorical.of(Map.of("a", 1L));
    assertThatThrownBy(() -> new KolmogorovSmirnov().compute("country", side, side))
        .as("KS of a categorical column")
        .isInstanceOf(PlatformException.class)
        .hasMessage("Cannot compute KS on column 'country': it is categorical; use chi-squared, Jensen-Shannon or PSI");
  }

  @Test
  void numericColumnsThroughTheUntypedEntryPointGetTheSameResult() {
    NumericDistribution a = ExactNumeric.of(1, 2, 3, 4, 5);
    NumericDistribution b = ExactNumeric.of(3, 4, 5, 6, 7, 8);
    KolmogorovSmirnov ks = new KolmogorovSmirnov();
    assertThat(ks.compute("amount", a, b)).as("untyped entry point").isEqualTo(ks.compute(a, b));
  }

  @Test
  void statisticIsTheLargestCdfGapAndItsLocation() {
    DriftResult result = new KolmogorovSmirnov().compute(ExactNumeric.of(1, 2, 3, 4), ExactNumeric.of(3, 4, 5, 6));
    assertThat(result.value()).as("D").isEqualTo(0.5);
    assertThat(((DriftDetails.KsDetails) result.details()).location()).as("where").isEqualTo(2.0);
    assertThat(List.of(result.metric(), result.status())).as("metric and status")
        .containsExactly("ks", DriftStatus.OK);
  }
}
