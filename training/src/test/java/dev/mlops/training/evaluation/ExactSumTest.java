package dev.mlops.training.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The exact sum against BigDecimal on random values of mixed magnitudes and signs, in any order and split. */
class ExactSumTest {

  @Test
  void isTheCorrectlyRoundedExactSumWhateverTheOrderAndTheSplit() {
    for (long seed = 1; seed <= 20; seed++) {
      Random r = new Random(seed);
      List<Double> values = new ArrayList<>();
      for (int i = 0; i < 2_000; i++) {
        double v = (r.nextDouble() - 0.3) * Math.pow(10, r.nextInt(40) - 20);
        values.add(v);
        if (i % 7 == 0) {
          values.add(-v); // cancellations
        }
      }
      BigDecimal exact = values.stream().map(BigDecimal::new).reduce(BigDecimal.ZERO, BigDecimal::add);
      double expected = exact.doubleValue();

      ExactSum inOrder = new ExactSum();
      values.forEach(inOrder::add);
      Collections.shuffle(values, r);
      ExactSum left = new ExactSum();
      ExactSum right = new ExactSum();
      int split = r.nextInt(values.size());
      values.subList(0, split).forEach(left::add);
      values.subList(split, values.size()).forEach(right::add);

      assertThat(inOrder.value()).as("seed %d in order", seed).isEqualTo(expected);
      assertThat(right.add(left).value()).as("seed %d shuffled, split at %d and merged", seed, split).isEqualTo(expected);
    }
  }

  @Test
  void roundsHalfWayCasesAcrossPartialsToEven() {
    // 1 + 2^-53 is half-way between 1 and its successor; a tiny extra tips it up.
    assertThat(new ExactSum().add(1.0).add(Math.pow(2, -53)).value()).isEqualTo(1.0);
    assertThat(new ExactSum().add(1.0).add(Math.pow(2, -53)).add(1e-30).value()).isEqualTo(Math.nextUp(1.0));
    assertThat(new ExactSum().add(0.1).add(0.2).add(-0.3).value()).isEqualTo(
        new BigDecimal(0.1).add(new BigDecimal(0.2)).subtract(new BigDecimal(0.3)).doubleValue());
    assertThat(new ExactSum().value()).isEqualTo(0.0);
  }

  @Test
  void refusesValuesWithoutAnExactSum() {
    assertThatThrownBy(() -> new ExactSum().add(Double.NaN)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NaN");
  }
}
