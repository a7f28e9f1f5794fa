package dev.mlops.monitoring.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The exact numeric distribution: inclusive CDF, inverted-CDF quantiles, what it leaves out. */
class ExactNumericTest {
  static final ExactNumeric ONE_TO_TEN = ExactNumeric.of(10, 9, 8, 7, 6, 5, 4, 3, 2, 1);

  @Test
  void cdfIsTheShareOfValuesAtMostX() {
    assertThat(ONE_TO_TEN.cdf(3)).as("cdf(3), inclusive").isEqualTo(0.3);
    assertThat(ONE_TO_TEN.cdf(2.5)).as("cdf(2.5)").isEqualTo(0.2);
    assertThat(ONE_TO_TEN.cdf(0)).as("below the minimum").isZero();
    assertThat(ONE_TO_TEN.cdf(Double.POSITIVE_INFINITY)).as("at +inf").isEqualTo(1.0);
  }

  @Test
  void quantileIsTheSmallestValueWhoseCdfReachesTheRank() {
    assertThat(ONE_TO_TEN.quantile(0.1)).as("q 0.1: cdf(1) = 0.1 reaches it").isEqualTo(1.0);
    assertThat(ONE_TO_TEN.quantile(0.15)).as("q 0.15").isEqualTo(2.0);
    assertThat(ONE_TO_TEN.quantile(0.5)).as("q 0.5").isEqualTo(5.0);
    assertThat(ONE_TO_TEN.quantile(0)).as("q 0 is the minimum").isEqualTo(1.0);
    assertThat(ONE_TO_TEN.quantile(1)).as("q 1 is the maximum").isEqualTo(10.0);
  }

  @Test
  void nullsAndNansAreLeftOutAndNegativeZeroIsZero() {
    ExactNumeric values = ExactNumeric.of(Arrays.asList(1.0, null, Double.NaN, -0.0, 0.0, 2.0));
    assertThat(values.count()).as("count").isEqualTo(4);
    assertThat(values.splitPoints()).as("distinct values").containsExactly(0.0, 1.0, 2.0);
    assertThat(values.rankError()).as("rank error").isZero();
  }

  @Test
  void binSharesComeFromCountsPerBin() {
    assertThat(ONE_TO_TEN.binShares(new double[] {2, 7})).as("(-inf, 2], (2, 7], (7, +inf)")
        .containsExactly(0.2, 0.5, 0.3);
  }

  @Test
  void emptyDistributionHasNoCdfNorQuantiles() {
    ExactNumeric empty = ExactNumeric.of(Double.NaN);
    assertThat(empty.count()).as("count").isZero();
    assertThat(empty.cdf(1)).as("cdf").isNaN();
    assertThat(empty.quantile(0.5)).as("quantile").isNaN();
    assertThat(empty.binShares(new double[] {1})).as("bin shares").isEmpty();
  }

  @Test
  void rankOutsideZeroToOneIsRefused() {
    assertThatThrownBy(() -> ONE_TO_TEN.quantile(1.5)).as("q 1.5").isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rank q = 1.5 is not in [0, 1]");
  }
}
