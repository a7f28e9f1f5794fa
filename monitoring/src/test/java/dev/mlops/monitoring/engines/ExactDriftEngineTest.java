package dev.mlops.monitoring.engines;

import static dev.mlops.monitoring.engines.DriftData.JUDGE;
import static dev.mlops.monitoring.engines.DriftData.day;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.PlatformException;
import dev.mlops.monitoring.ColumnDrift;
import dev.mlops.monitoring.DriftInput;
import dev.mlops.monitoring.DriftSide;
import dev.mlops.monitoring.Reference;
import dev.mlops.monitoring.drift.Bucket;
import dev.mlops.monitoring.drift.DriftDetails;
import dev.mlops.monitoring.drift.ExactCategorical;
import dev.mlops.testkit.SparkJobs;
import dev.mlops.validation.profiles.PartitionProfiler.Kind;
import java.nio.file.Path;
import java.sql.Date;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exact engine's Spark jobs, its reference of partitions, its errors and its cap on categories. */
class ExactDriftEngineTest {
  @TempDir static Path dir;
  static DriftData data;
  static DriftData.Table current;
  static DriftData.Table reference;

  @BeforeAll
  static void setUp() {
    data = new DriftData(dir);
    SplittableRandom r = new SplittableRandom(7);
    List<Row> rows = new ArrayList<>();
    for (int d = 0; d < 3; d++) {
      rows.addAll(DriftData.mixed(r, DriftData.FIRST_DAY.plusDays(d), 300 + 100 * d, 0.2 * d, false, 3));
    }
    current = data.write("drift.current", rows, DriftData.mixedSpecs(), true);
    reference = data.write("drift.reference", DriftData.mixed(r, DriftData.FIRST_DAY, 500, 0, false, 1),
        DriftData.mixedSpecs(), false);
  }

  @Test
  void aReferenceOfPartitionsIsTheirRowsAllTogether() {
    List<ColumnDrift> exact = data.run(run -> new ExactDriftEngine().compare(
        data.input(current, List.of(day(2)), List.of(day(0), day(1))), JUDGE, run));
    List<Row> referenceRows = new ArrayList<>(current.rows(day(0)));
    referenceRows.addAll(current.rows(day(1)));
    for (int i = 0; i < exact.size(); i++) {
      ColumnDrift expected = DriftData.library(current.specs().get(i), day(2), referenceRows, current.rows(day(2)), i + 1);
      ExactDriftEnginePropertyTest.assertSame("days 0-1 as reference", expected, exact.get(i));
    }
  }

  @Test
  void sparkJobsDoNotGrowWithColumnsOrPartitions() throws Exception {
    DriftData.Table wide = wideTable();
    DriftInput all = data.input(wide, List.of(day(0), day(1)), wide);
    DriftInput small = new DriftInput(all.table(), all.rows(), "day", all.partitions(), all.columns().subList(0, 3),
        all.reference());
    DriftInput large = data.input(wide, List.of(day(0), day(1), day(2), day(3), day(4), day(5)), wide);
    data.run(run -> new ExactDriftEngine().compare(large, JUDGE, run)); // Delta's snapshot state, loaded once
    int smallJobs = exactEngineJobsWhile(() -> data.run(run -> new ExactDriftEngine().compare(small, JUDGE, run)));
    int largeJobs = exactEngineJobsWhile(() -> data.run(run -> new ExactDriftEngine().compare(large, JUDGE, run)));
    assertThat(largeJobs).as("Spark jobs for 12 columns x 6 partitions against 3 columns x 2").isEqualTo(smallJobs);
    assertThat(largeJobs).as("Spark jobs: rows and categories, then the numeric columns").isEqualTo(2);
  }

  /** Six days of 200 rows with 6 numeric and 6 categorical columns. */
  static DriftData.Table wideTable() {
    List<DriftData.Spec> specs = new ArrayList<>();
    for (int c = 0; c < 6; c++) {
      specs.add(new DriftData.Spec("n" + c, DataTypes.DoubleType, Kind.NUMERIC));
      specs.add(new DriftData.Spec("c" + c, DataTypes.StringType, Kind.CATEGORICAL));
    }
    SplittableRandom r = new SplittableRandom(3);
    List<Row> rows = new ArrayList<>();
    for (int d = 0; d < 6; d++) {
      for (int i = 0; i < 200; i++) {
        Object[] values = new Object[13];
        values[0] = Date.valueOf(DriftData.FIRST_DAY.plusDays(d));
        for (int c = 0; c < 6; c++) {
          values[1 + 2 * c] = r.nextGaussian() + d * 0.1;
          values[2 + 2 * c] = "k" + r.nextInt(5);
        }
        rows.add(RowFactory.create(values));
      }
    }
    return data.write("drift.wide", rows, specs, true);
  }

  /** The Spark jobs the exact engine starts (its jobs' descriptions name it) while {@code body} runs. */
  static int exactEngineJobsWhile(Runnable body) throws Exception {
    return SparkJobs.countWhile(data.platform.spark(), "drift (exact)", body);
  }

  @Test
  void aPartitionWithoutRowsIsAnError() {
    DriftInput input = data.input(current, List.of(day(0), "2026-12-25"), reference);
    assertThatThrownBy(() -> data.run(run -> new ExactDriftEngine().compare(input, JUDGE, run)))
        .isInstanceOf(PlatformException.class)
        .hasMessage("Cannot measure drift of drift.current for day=2026-12-25: the partition has no rows; check the date"
            + " (mlops sql \"SELECT DISTINCT day FROM drift.current\") or score that day first");
  }

  @Test
  void aReferencePartitionWithoutRowsIsAnError() {
    DriftInput input = data.input(current, List.of(day(0)), List.of(day(1), "2026-10-31"));
    assertThatThrownBy(() -> data.run(run -> new ExactDriftEngine().compare(input, JUDGE, run)))
        .isInstanceOf(PlatformException.class)
        .hasMessageStartingWith("Cannot measure drift of drift.current for day=2026-10-31: the partition has no rows");
  }

  @Test
  void anEmptyReferenceIsAnError() {
    DriftInput whole = data.input(current, List.of(day(0)), reference);
    DriftSide side = ((Reference.Whole) whole.reference()).sides().get(0);
    DriftInput input = withReference(whole, new DriftSide(side.rows().where("false"), side.key(), side.columns()));
    assertThatThrownBy(() -> data.run(run -> new ExactDriftEngine().compare(input, JUDGE, run)))
        .isInstanceOf(PlatformException.class)
        .hasMessage("Cannot measure drift against drift.reference@" + reference.version().version()
            + ": the reference has no rows; name another reference (--reference TABLE, or --reference-start/--reference-end)");
  }

  @Test
  void aColumnNoReferenceSideHasIsAnError() {
    DriftInput whole = data.input(current, List.of(day(0)), reference);
    DriftSide side = ((Reference.Whole) whole.reference()).sides().get(0);
    DriftInput input = withReference(whole, new DriftSide(side.rows(), side.key(), side.columns().subList(0, 3)));
    assertThatThrownBy(() -> data.run(run -> new ExactDriftEngine().compare(input, JUDGE, run)))
        .isInstanceOf(PlatformException.class)
        .hasMessage("Cannot measure drift of column grid: the reference drift.reference@" + reference.version().version()
            + " has no such column (its columns: normal, ties, ints); compare columns both sides have");
  }

  @Test
  void pastTenThousandCategoriesTheLeastFrequentCountAsOther() {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      rows.add(RowFactory.create(Date.valueOf(DriftData.FIRST_DAY), "x"));
    }
    for (int i = 0; i < 10_050; i++) {
      rows.add(RowFactory.create(Date.valueOf(DriftData.FIRST_DAY), String.format("v%05d", i)));
    }
    List<DriftData.Spec> specs = List.of(new DriftData.Spec("id", DataTypes.StringType, Kind.CATEGORICAL));
    DriftData.Table ids = data.write("drift.ids", rows, specs, true);
    DriftData.Table few = data.write("drift.few", rows.subList(0, 150), specs, false);
    List<ColumnDrift> exact = data.run(run -> new ExactDriftEngine().compare(data.input(ids, List.of(day(0)), few), JUDGE,
        run));
    Map<String, Long> kept = new LinkedHashMap<>();
    kept.put("x", 100L);
    for (int i = 0; i < 9_999; i++) {
      kept.put(String.format("v%05d", i), 1L);
    }
    ColumnDrift expected = JUDGE.categorical("id", day(0), ExactCategorical.ofValues(few.rows().stream()
        .map(r -> r.getString(1)).toList()), new TruncatedCategorical(kept, 51));
    ExactDriftEnginePropertyTest.assertSame("10,051 categories", expected, exact.get(0));
    List<Bucket> buckets = ((DriftDetails.ChiSquaredDetails) exact.get(0).results().get(0).details()).buckets();
    assertThat(buckets.get(buckets.size() - 1)).as("the categories past the 10,000 most frequent")
        .isEqualTo(new Bucket(Bucket.OTHER, Bucket.Kind.OTHER, 0, 51));
  }

  private static DriftInput withReference(DriftInput input, DriftSide side) {
    return new DriftInput(input.table(), input.rows(), input.partitionColumn(), input.partitions(), input.columns(),
        new Reference.Whole(List.of(side)));
  }
}
