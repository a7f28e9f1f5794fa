package dev.mlops.monitoring.engines;

import static dev.mlops.monitoring.engines.DriftData.JUDGE;
import static dev.mlops.monitoring.engines.DriftData.day;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mlops.monitoring.ColumnDrift;
import dev.mlops.monitoring.DriftInput;
import dev.mlops.monitoring.drift.DriftDetails;
import dev.mlops.monitoring.drift.DriftResult;
import dev.mlops.monitoring.drift.ExactNumeric;
import dev.mlops.validation.profiles.PartitionProfiler.Kind;
import dev.mlops.validation.profiles.ProfileStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exact engine on seeded random tables (three days of 40 to 3,000 rows with nulls, NaNs, -0.0,
 * ties, values on a grid the reference does not share, a shift on the last day, an all-null column
 * on the first; a reference of 3,000 to 6,000 rows) against the drift library fed every value, and
 * against the sketch engine.
 */
class ExactDriftEnginePropertyTest {
  static final long[] SEEDS = {11, 12, 13, 14};

  @TempDir static Path dir;
  static DriftData data;

  @BeforeAll
  static void setUp() {
    data = new DriftData(dir);
  }

  /** The current table and the reference of {@code seed}. */
  static DriftData.Table[] tables(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Row> current = new ArrayList<>();
    current.addAll(DriftData.mixed(r, DriftData.FIRST_DAY, 40 + r.nextInt(80), 0, true, 3));
    current.addAll(DriftData.mixed(r, DriftData.FIRST_DAY.plusDays(1), 400 + r.nextInt(800), 0, false, 3));
    current.addAll(DriftData.mixed(r, DriftData.FIRST_DAY.plusDays(2), 1_500 + r.nextInt(1_500), 0.4, false, 3));
    List<Row> reference = DriftData.mixed(r, DriftData.FIRST_DAY.minusDays(30), 3_000 + r.nextInt(3_000), 0, false, 1);
    return new DriftData.Table[] {data.write("drift.current_" + seed, current, DriftData.mixedSpecs(), true),
        data.write("drift.reference_" + seed, reference, DriftData.mixedSpecs(), false)};
  }

  static List<String> days() {
    return List.of(day(0), day(1), day(2));
  }

  /** The drift library fed every value, in the engine's order: partition, then column. */
  static List<ColumnDrift> library(DriftData.Table current, List<Row> reference, List<String> days) {
    List<ColumnDrift> out = new ArrayList<>();
    for (String d : days) {
      for (int i = 0; i < current.specs().size(); i++) {
        out.add(DriftData.library(current.specs().get(i), d, reference, current.rows(d), i + 1));
      }
    }
    return out;
  }

  @Test
  void exactEngineGivesTheDriftLibrarysResultsOnEveryValue() {
    for (long seed : SEEDS) {
      DriftData.Table[] t = tables(seed);
      DriftInput input = data.input(t[0], days(), t[1]);
      List<ColumnDrift> exact = data.run(run -> new ExactDriftEngine().compare(input, JUDGE, run));
      List<ColumnDrift> library = library(t[0], t[1].rows(), days());
      assertThat(exact).as("seed %d: one result per partition and column", seed).hasSameSizeAs(library);
      for (int i = 0; i < exact.size(); i++) {
        assertSame("seed " + seed, library.get(i), exact.get(i));
      }
      assertEdgesAreTheReferenceQuantiles(seed, t, exact);
    }
  }

  /** Metric by metric (values to 1e-12, p-values and statuses equal), then the whole result, details included. */
  static void assertSame(String what, ColumnDrift expected, ColumnDrift actual) {
    String where = what + ", " + expected.partition() + ", " + expected.column();
    assertThat(actual.results()).as(where).hasSameSizeAs(expected.results());
    for (int j = 0; j < expected.results().size(); j++) {
      DriftResult e = expected.results().get(j);
      DriftResult a = actual.results().get(j);
      String metric = where + ", " + e.metric();
      if (Double.isNaN(e.value())) {
        assertThat(a.value()).as(metric + ": no value").isNaN();
      } else {
        assertThat(a.value()).as(metric + ": value").isCloseTo(e.value(), within(1e-12));
      }
      assertThat(a.pValue()).as(metric + ": p-value").isEqualTo(e.pValue());
      assertThat(a.status()).as(metric + ": status").isEqualTo(e.status());
    }
    assertThat(actual).as(where + ": whole result, details included").isEqualTo(expected);
  }

  private static void assertEdgesAreTheReferenceQuantiles(long seed, DriftData.Table[] t, List<ColumnDrift> exact) {
    for (int i = 0; i < t[0].specs().size(); i++) {
      if (t[0].specs().get(i).kind() != Kind.NUMERIC) {
        continue;
      }
      int index = i + 1;
      ExactNumeric reference = ExactNumeric.of(t[1].rows().stream().map(r -> (Number) r.get(index))
          .filter(Objects::nonNull).toList());
      double[] quantiles = JUDGE.psi().edges(reference);
      DriftResult psi = exact.get(t[0].specs().size() + i).results().get(0);
      assertThat(((DriftDetails.PsiDetails) psi.details()).edges()).as("seed %d, %s: PSI cuts", seed,
          t[0].specs().get(i).name()).containsExactly(java.util.Arrays.stream(quantiles).boxed().toArray(Double[]::new));
    }
  }

  @Test
  void sketchEngineStaysWithinItsErrorBoundsOfTheExactEngine() {
    for (long seed : SEEDS) {
      DriftData.Table[] t = tables(seed + 100);
      DriftInput input = data.input(t[0], days(), t[1]);
      List<ColumnDrift> exact = data.run(run -> new ExactDriftEngine().compare(input, JUDGE, run));
      SketchDriftEngine sketchEngine = new SketchDriftEngine(new ProfileStore(data.warehouse, Clock.systemUTC()));
      List<ColumnDrift> sketch = data.run(run -> sketchEngine.compare(input, JUDGE, run));
      for (int i = 0; i < exact.size(); i++) {
        assertWithinBounds("seed " + (seed + 100), exact.get(i), sketch.get(i));
      }
    }
  }

  /**
   * KS within the sketches' rank-error bound; PSI within the error bound derived in {@code
   * PopulationStabilityIndex} (for continuous data; it holds, loosely, on the tied columns here
   * too); categorical metrics equal (frequent-items sketches below capacity are exact).
   */
  static void assertWithinBounds(String what, ColumnDrift exact, ColumnDrift sketch) {
    String where = what + ", " + exact.partition() + ", " + exact.column();
    for (int j = 0; j < exact.results().size(); j++) {
      DriftResult e = exact.results().get(j);
      DriftResult s = sketch.results().get(j);
      if (Double.isNaN(e.value())) {
        assertThat(s.value()).as(where + ", " + e.metric() + ": no value either").isNaN();
      } else if (s.details() instanceof DriftDetails.KsDetails ks) {
        assertThat(Math.abs(s.value() - e.value())).as(where + ": KS D sketch %s vs exact %s", s.value(), e.value())
            .isLessThanOrEqualTo(ks.rankErrorBound() + 1e-12);
      } else if (exact.kind() == Kind.NUMERIC) {
        double bound = ((DriftDetails.PsiDetails) s.details()).errorBound();
        assertThat(Math.abs(s.value() - e.value())).as(where + ": PSI sketch %s vs exact %s", s.value(), e.value())
            .isLessThanOrEqualTo(bound + 1e-12);
      } else {
        assertThat(s.value()).as(where + ", " + e.metric()).isCloseTo(e.value(), within(1e-12));
      }
    }
  }
}
