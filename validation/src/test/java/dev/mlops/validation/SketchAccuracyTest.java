package dev.mlops.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.testkit.TestPlatform;
import dev.mlops.validation.analyzers.Analyzer;
import dev.mlops.validation.analyzers.SketchAnalyzer;
import dev.mlops.validation.sketches.HllState;
import dev.mlops.validation.sketches.KllState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.datasketches.kll.KllSketch;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The approximate metrics against exact ones on random data, computed through Spark with several
 * partitions (so the sketches merge): HLL lgK 12 within 3.2% (2 sigma), KLL k=200 within its
 * 1.33% rank error at the bound's own confidence; and sketches of two halves merged equal to the
 * sketch of the whole.
 *
 * <p>HLL hashes with a fixed seed: on seeded data its estimate is always the same. KLL's
 * compactions flip coins from one {@code java.util.Random} that DataSketches 6 keeps for the whole
 * JVM and offers no way to seed, and Spark's tasks draw from it in whatever order they run: each
 * quantile is within the 1.33% bound with 99% confidence only. So a few quantiles may fall outside
 * it by chance ({@link RankChecks}), but never beyond twice the bound.
 */
class SketchAccuracyTest {
  /** KLL k = 200's normalized rank error, one-sided, which a quantile is within with 99% confidence. */
  static final double KLL_BOUND = KllSketch.getNormalizedRankError(KllState.K, false);
  /** The chance that a false alarm (a miss count above the allowance) is accepted, per test. */
  static final double FALSE_ALARM = 1e-6;
  static final StructType SCHEMA = new StructType().add("part", DataTypes.IntegerType).add("key", DataTypes.LongType)
      .add("x", DataTypes.DoubleType);

  @TempDir static Path dir;
  static TestPlatform platform;

  @BeforeAll
  static void session() {
    platform = TestPlatform.create(dir);
  }

  /** {@code rows} rows: keys drawn from {@code keys} values (skewed), x log-normal. */
  static List<Row> random(long seed, int rows, int keys) {
    SplittableRandom r = new SplittableRandom(seed);
    return java.util.stream.IntStream.range(0, rows).mapToObj(i -> RowFactory.create(i % 2,
        (long) Math.floor(Math.pow(r.nextDouble(), 2) * keys), Math.exp(r.nextGaussian() * 1.5))).toList();
  }

  static Map<Analyzer, dev.mlops.validation.analyzers.Outcome> analyze(Dataset<Row> data) {
    return AnalysisRunner.run(data, List.of(SketchAnalyzer.distinct("key"), SketchAnalyzer.quantiles("x")), 0).outcomes();
  }

  @Test
  void distinctCountsAndQuantilesStayWithinTheSketchesErrorBounds() {
    RankChecks quantiles = new RankChecks(0.01);
    for (long seed = 1; seed <= 4; seed++) {
      int keys = (int) (5_000 * seed * seed);
      List<Row> rows = random(seed, 120_000, keys);
      Dataset<Row> data = platform.spark().createDataFrame(rows, SCHEMA).repartition(4);
      var out = analyze(data);
      long exactDistinct = rows.stream().map(r -> r.getLong(1)).distinct().count();
      double estimate = ((HllState) out.get(SketchAnalyzer.distinct("key")).state()).estimate();
      assertThat(Math.abs(estimate - exactDistinct) / exactDistinct).as("seed %d: HLL %s vs exact %d", seed, estimate,
          exactDistinct).isLessThan(0.032);

      double[] sorted = rows.stream().mapToDouble(r -> r.getDouble(2)).sorted().toArray();
      KllState kll = (KllState) out.get(SketchAnalyzer.quantiles("x")).state();
      assertThat(kll.count()).hasValue(rows.size());
      for (double q : new double[] {0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99}) {
        double v = kll.quantile(q);
        double trueRank = exactRank(sorted, v);
        quantiles.check(String.format("seed %d: quantile %s = %s has true rank %s", seed, q, v, trueRank),
            Math.abs(trueRank - q), KLL_BOUND);
      }
    }
    quantiles.assertWithinConfidence();
  }

  @Test
  void mergingTheStoredSketchesOfTwoPartitionsEqualsAnalyzingBothTogether() {
    List<Row> rows = random(7, 100_000, 30_000);
    Dataset<Row> data = platform.spark().createDataFrame(rows, SCHEMA).repartition(3);
    var whole = analyze(data);
    var even = analyze(data.where("part = 0"));
    var odd = analyze(data.where("part = 1"));

    // As monitoring will: from the stored bytes.
    HllState hll = HllState.fromBytes(even.get(SketchAnalyzer.distinct("key")).state().toBytes())
        .merge(HllState.fromBytes(odd.get(SketchAnalyzer.distinct("key")).state().toBytes()));
    KllState kll = KllState.fromBytes(even.get(SketchAnalyzer.quantiles("x")).state().toBytes())
        .merge(KllState.fromBytes(odd.get(SketchAnalyzer.quantiles("x")).state().toBytes()));

    double wholeDistinct = ((HllState) whole.get(SketchAnalyzer.distinct("key")).state()).estimate();
    long exact = rows.stream().map(r -> r.getLong(1)).distinct().count();
    assertThat(Math.abs(hll.estimate() - wholeDistinct) / exact).isLessThan(0.032);
    assertThat(Math.abs(hll.estimate() - exact) / exact).isLessThan(0.032);
    KllState wholeKll = (KllState) whole.get(SketchAnalyzer.quantiles("x")).state();
    assertThat(kll.count()).isEqualTo(wholeKll.count()).hasValue(rows.size());
    double[] sorted = rows.stream().mapToDouble(r -> r.getDouble(2)).sorted().toArray();
    // Each of the merged sketch's and the whole's quantiles is within the bound with 99% confidence,
    // so both, and thus their difference within twice the bound, with 98%: 2% for every check here.
    RankChecks quantiles = new RankChecks(0.02);
    for (double q : new double[] {0.05, 0.5, 0.95}) {
      double merged = exactRank(sorted, kll.quantile(q));
      quantiles.check("merged quantile " + q + " has true rank " + merged, Math.abs(merged - q), KLL_BOUND);
      quantiles.check("merged quantile " + q + " against the whole's", Math.abs(merged - exactRank(sorted,
          wholeKll.quantile(q))), 2 * KLL_BOUND);
    }
    quantiles.assertWithinConfidence();
  }

  /**
   * Rank errors checked against bounds that each holds with probability {@code 1 - miss}: every
   * error within twice its bound (KLL's error tail falls like {@code exp(-x^2)}, so twice a 99%
   * bound is missed about once in 10^8), and no more of them outside the bound itself than a
   * binomial tail allows at {@link #FALSE_ALARM} (28 checks at 1%: 5). The errors of one sketch's
   * quantiles are not independent; the hard limit of twice the bound holds regardless.
   */
  static final class RankChecks {
    private final double miss;
    private final List<String> outside = new ArrayList<>();
    private int checks;

    RankChecks(double miss) {
      this.miss = miss;
    }

    void check(String what, double error, double bound) {
      checks++;
      assertThat(error).as("%s: within twice the bound %s", what, bound).isLessThanOrEqualTo(2 * bound);
      if (error > bound) {
        outside.add(what + " (error " + error + " > " + bound + ")");
      }
    }

    void assertWithinConfidence() {
      assertThat(outside).as("outside their bound, of %d checks with %s%% confidence each", checks, 100 * (1 - miss))
          .hasSizeLessThanOrEqualTo(allowedMisses(checks, miss));
    }
  }

  /**
   * The most of {@code n} independent checks, each missed with probability {@code p}, that may
   * miss while more misses have a probability below {@link #FALSE_ALARM}.
   */
  static int allowedMisses(int n, double p) {
    double atMost = 0;
    double exactly = Math.pow(1 - p, n);
    for (int m = 0; m < n; m++) {
      atMost += exactly;
      if (1 - atMost < FALSE_ALARM) {
        return m;
      }
      exactly *= (double) (n - m) / (m + 1) * p / (1 - p);
    }
    return n;
  }

  @Test
  void theMissAllowanceIsTheBinomialTail() {
    assertThat(allowedMisses(28, 0.01)).as("P(X > 5) = 3.1e-7, P(X > 4) = 8.1e-6").isEqualTo(5);
    assertThat(allowedMisses(6, 0.02)).isEqualTo(4);
    assertThat(allowedMisses(1, 0.5)).isEqualTo(1);
  }

  /** The share of values at most {@code v}. */
  static double exactRank(double[] sorted, double v) {
    int i = Arrays.binarySearch(sorted, v);
    if (i < 0) {
      i = -i - 1;
    } else {
      while (i + 1 < sorted.length && sorted[i + 1] == v) {
        i++;
      }
      i++;
    }
    return (double) i / sorted.length;
  }
}
