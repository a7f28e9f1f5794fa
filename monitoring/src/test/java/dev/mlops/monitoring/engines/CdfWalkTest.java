package dev.mlops.monitoring.engines;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.monitoring.ColumnDrift;
import dev.mlops.monitoring.DriftJudge;
import dev.mlops.monitoring.drift.DriftThresholds;
import dev.mlops.monitoring.drift.ExactNumeric;
import dev.mlops.monitoring.engines.NumericPass.ColumnFigures;
import dev.mlops.monitoring.engines.NumericPass.PartitionFigures;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The walk over sorted values against the drift library fed the same values, on thousands of small
 * random samples: few distinct values (ties everywhere), infinities in a third of them, one value a
 * side, empty partitions, the slots of equal values in any order.
 */
class CdfWalkTest {
  @Test
  void givesTheLibrarysPsiAndKsOnSmallTiedSamples() {
    for (long seed = 0; seed < 3_000; seed++) {
      Random r = new Random(seed);
      int partitions = 1 + r.nextInt(3);
      int distinct = 1 + r.nextInt(12);
      boolean infinities = seed % 3 == 0;
      List<double[]> values = new ArrayList<>(); // {slot, value}
      long[] totals = new long[partitions + 1];
      for (int s = 0; s <= partitions; s++) {
        int n = s == partitions ? 1 + r.nextInt(40) : r.nextInt(30);
        for (int i = 0; i < n; i++) {
          double x = (r.nextInt(distinct) - distinct / 2) * (s % 2 == 0 ? 0.5 : 1.0 / 3);
          if (infinities && r.nextInt(6) == 0) {
            x = r.nextBoolean() ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
          }
          values.add(new double[] {s, x});
        }
        totals[s] = n;
      }
      Collections.shuffle(values, r);
      values.sort(Comparator.comparingDouble(v -> v[1]));
      List<String> names = new ArrayList<>();
      for (int s = 0; s < partitions; s++) {
        names.add("p" + s);
      }
      int bins = 2 + r.nextInt(10);
      CdfWalk walk = new CdfWalk(names, totals, bins);
      values.forEach(v -> walk.add((int) v[0], v[1]));
      ColumnFigures figures = walk.finish();
      DriftJudge judge = new DriftJudge(DriftThresholds.defaults(), bins);
      for (int s = 0; s < partitions; s++) {
        PartitionFigures p = figures.partition(names.get(s));
        ColumnDrift walked = judge.numeric("x", names.get(s), figures.edges(), figures.referenceBins(), p.bins(),
            p.ksStatistic(), p.ksLocation());
        ColumnDrift library = judge.numeric("x", names.get(s), ExactNumeric.of(side(values, partitions)),
            ExactNumeric.of(side(values, s)));
        assertThat(walked).as("seed %d, partition %d of %d, %d bins", seed, s, partitions, bins).isEqualTo(library);
      }
    }
  }

  @Test
  void aReferenceValueAtMinusInfinityIsAPointOfTheStatistic() {
    // F_ref(-inf) = 2/3 against F_cur(-inf) = 0: the largest distance, below every current value
    double[][] values = {{1, Double.NEGATIVE_INFINITY}, {1, Double.NEGATIVE_INFINITY}, {0, 3}, {1, 5}, {0, 6}};
    CdfWalk walk = new CdfWalk(List.of("p0"), new long[] {2, 3}, 10);
    for (double[] v : values) {
      walk.add((int) v[0], v[1]);
    }
    PartitionFigures p = walk.finish().partition("p0");
    assertThat(p.ksStatistic()).as("D").isEqualTo(2.0 / 3);
    assertThat(p.ksLocation()).as("where D is reached").isEqualTo(Double.NEGATIVE_INFINITY);
  }

  private static double[] side(List<double[]> values, int slot) {
    return values.stream().filter(v -> v[0] == slot).mapToDouble(v -> v[1]).toArray();
  }
}
