package dev.mlops.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.testkit.TestPlatform;
import dev.mlops.validation.analyzers.Analyzer;
import dev.mlops.validation.analyzers.SketchAnalyzer;
import dev.mlops.validation.sketches.HllState;
import dev.mlops.validation.sketches.KllState;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
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
 * 1.33% rank error; and sketches of two halves merged equal to the sketch of the whole.
 */
class SketchAccuracyTest {
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
        assertThat(Math.abs(trueRank - q)).as("seed %d: quantile %s = %s has true rank %s", seed, q, v, trueRank)
            .isLessThanOrEqualTo(0.0133);
      }
    }
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
    for (double q : new double[] {0.05, 0.5, 0.95}) {
      assertThat(Math.abs(exactRank(sorted, kll.quantile(q)) - q)).as("merged quantile %s", q).isLessThanOrEqualTo(0.0133);
      assertThat(Math.abs(exactRank(sorted, kll.quantile(q)) - exactRank(sorted, wholeKll.quantile(q))))
          .isLessThanOrEqualTo(2 * 0.0133);
    }
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
