package dev.mlops.monitoring.engines;

import dev.mlops.core.runs.JobRun;
import dev.mlops.core.runs.RunRecorder;
import dev.mlops.core.spark.Identifiers;
import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.TableVersion;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.monitoring.ColumnDrift;
import dev.mlops.monitoring.DriftInput;
import dev.mlops.monitoring.DriftJudge;
import dev.mlops.monitoring.DriftSide;
import dev.mlops.monitoring.Reference;
import dev.mlops.monitoring.drift.DriftThresholds;
import dev.mlops.monitoring.drift.ExactCategorical;
import dev.mlops.monitoring.drift.ExactNumeric;
import dev.mlops.testkit.TestPlatform;
import dev.mlops.validation.profiles.PartitionProfiler.Kind;
import dev.mlops.validation.profiles.PartitionProfiler.ProfiledColumn;
import dev.mlops.validation.profiles.ProfileKey;
import java.nio.file.Path;
import java.sql.Date;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A test warehouse with drift tables generated from seeded random rows kept in memory, so that a
 * test can hand the drift library the exact values the engines read from Delta.
 */
final class DriftData {
  static final LocalDate FIRST_DAY = LocalDate.of(2026, 11, 1);
  static final DriftJudge JUDGE = new DriftJudge(DriftThresholds.defaults(), 10);

  final TestPlatform platform;
  final Warehouse warehouse;
  final RunRecorder runs;

  DriftData(Path dir) {
    platform = TestPlatform.create(dir);
    warehouse = Warehouse.of(platform.spark(), platform.config());
    runs = platform.runs(warehouse, Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC));
  }

  /** A column of the generated tables: its name, Spark type and kind. */
  record Spec(String name, DataType type, Kind kind) {}

  /** A generated table: its version, rows and columns. */
  record Table(TableVersion version, List<Row> rows, List<Spec> specs) {
    /** The rows of {@code day}, or all when null. */
    List<Row> rows(String day) {
      Predicate<Row> in = r -> day == null || r.getDate(0).toString().equals(day);
      return rows.stream().filter(in).toList();
    }
  }

  /**
   * The columns of {@link #mixed}: continuous, tied, integer, on a grid (a different one on each
   * side, so that many current values have no reference value between them), categorical and
   * boolean values.
   */
  static List<Spec> mixedSpecs() {
    return List.of(new Spec("normal", DataTypes.DoubleType, Kind.NUMERIC), new Spec("ties", DataTypes.DoubleType, Kind.NUMERIC),
        new Spec("ints", DataTypes.IntegerType, Kind.NUMERIC), new Spec("grid", DataTypes.DoubleType, Kind.NUMERIC),
        new Spec("cat", DataTypes.StringType, Kind.CATEGORICAL),
        new Spec("flag", DataTypes.BooleanType, Kind.CATEGORICAL));
  }

  /**
   * Rows of {@link #mixedSpecs()} for {@code day}: nulls, NaNs, -0.0 and ties, shifted by {@code
   * shift}; {@code ints} all null when {@code noInts}; {@code grid} on multiples of {@code 1 / grid}.
   */
  static List<Row> mixed(SplittableRandom r, LocalDate day, int n, double shift, boolean noInts, int grid) {
    List<Row> rows = new ArrayList<>();
    String[] cats = {"a", "b", "c", "d", "e", "f", "g", "h"};
    for (int i = 0; i < n; i++) {
      double g = r.nextGaussian() + shift;
      double u = r.nextDouble();
      Double normal = u < 0.03 ? null : u < 0.05 ? Double.NaN : u < 0.06 ? -0.0 : u < 0.07 ? 0.0 : g;
      Double ties = r.nextDouble() < 0.02 ? null : Math.round(g * 4) / 4.0;
      Integer ints = noInts || r.nextDouble() < 0.05 ? null : (int) Math.floor(Math.abs(r.nextGaussian() + shift) * 2);
      int c = (int) Math.min(cats.length - 1, Math.floor(Math.abs(r.nextGaussian() + shift) * 2.5));
      Double onGrid = Math.rint(r.nextGaussian() * grid) / grid;
      String cat = r.nextDouble() < 0.04 ? null : cats[c];
      Boolean flag = r.nextDouble() < 0.03 ? null : r.nextDouble() < 0.4 + shift / 4;
      rows.add(RowFactory.create(Date.valueOf(day), normal, ties, ints, onGrid, cat, flag));
    }
    return rows;
  }

  /** Writes {@code rows} (day first, then {@code specs}) as Delta table {@code name}, partitioned by day when asked. */
  Table write(String name, List<Row> rows, List<Spec> specs, boolean partitioned) {
    StructType schema = new StructType().add("day", DataTypes.DateType);
    for (Spec s : specs) {
      schema = schema.add(s.name(), s.type());
    }
    var write = warehouse.write(platform.spark().createDataFrame(rows, schema).repartition(3), TableName.parse(name))
        .overwriting(true);
    return new Table(partitioned ? write.partitionBy("day").commit() : write.commit(), rows, specs);
  }

  static String day(int i) {
    return FIRST_DAY.plusDays(i).toString();
  }

  static List<ProfiledColumn> columns(List<Spec> specs) {
    return specs.stream().map(s -> new ProfiledColumn(s.name(), Identifiers.column(s.name()), s.kind())).toList();
  }

  /** The drift input of {@code days} of {@code current} against the whole of {@code reference}. */
  DriftInput input(Table current, List<String> days, Table reference) {
    return new DriftInput(current.version(), warehouse.read(current.version()), "day", days, columns(current.specs()),
        new Reference.Whole(List.of(new DriftSide(warehouse.read(reference.version()),
            ProfileKey.whole(reference.version().table(), reference.version().version()), columns(reference.specs())))));
  }

  /** The drift input of {@code days} of {@code current} against its own {@code referenceDays}. */
  DriftInput input(Table current, List<String> days, List<String> referenceDays) {
    return new DriftInput(current.version(), warehouse.read(current.version()), "day", days, columns(current.specs()),
        new Reference.Partitions(referenceDays));
  }

  /** The drift library fed every value of {@code reference} and {@code current} directly. */
  static ColumnDrift library(Spec spec, String partition, List<Row> reference, List<Row> current, int index) {
    if (spec.kind() == Kind.NUMERIC) {
      return JUDGE.numeric(spec.name(), partition, ExactNumeric.of(numbers(reference, index)),
          ExactNumeric.of(numbers(current, index)));
    }
    return JUDGE.categorical(spec.name(), partition, ExactCategorical.ofValues(texts(reference, index)),
        ExactCategorical.ofValues(texts(current, index)));
  }

  private static List<Number> numbers(List<Row> rows, int index) {
    return rows.stream().map(r -> (Number) r.get(index)).filter(Objects::nonNull).toList();
  }

  private static List<String> texts(List<Row> rows, int index) {
    return rows.stream().map(r -> r.get(index) == null ? null : String.valueOf(r.get(index))).toList();
  }

  /** Runs {@code body} in a recorded job. */
  <T> T run(java.util.function.Function<JobRun, T> body) {
    return runs.run("drift-test", List.of(), body);
  }
}
