package dev.mlops.benchmarks;

import dev.mlops.core.spark.Identifiers;
import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.TableVersion;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.monitoring.DriftInput;
import dev.mlops.monitoring.DriftSide;
import dev.mlops.monitoring.Reference;
import dev.mlops.validation.profiles.PartitionProfiler.Kind;
import dev.mlops.validation.profiles.PartitionProfiler.ProfiledColumn;
import dev.mlops.validation.profiles.ProfileKey;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The drift benchmark's tables, generated deterministically from row ids (the same scale gives the
 * same rows) and written once as Delta tables partitioned by {@code day}:
 *
 * <ul>
 *   <li>{@code current}: {@link DriftBenchmark.Scale#days()} days from 2026-01-01 of {@code
 *       rowsPerDay} rows, the last {@code shiftedDays} of them with a planted shift in five numeric
 *       features ({@code f00} to {@code f04}, one of each shape) and two categorical ones ({@code
 *       c0}, {@code c1});
 *   <li>{@code reference}: {@code referenceDays} days before it of {@code referenceRowsPerDay} rows,
 *       unshifted;
 *   <li>{@code many}: {@code manyPartitions} small days of {@code rowsPerManyPartition} rows, and
 *       {@code many_reference}: 30 such days before them, for the heap check of the sketch engine
 *       over many partitions (a whole table as reference, whose stored profile is read as is: a
 *       reference of partitions would merge their sketches, which KLL does with random
 *       compactions, so two runs would differ).
 * </ul>
 *
 * Numeric feature {@code fNN} has one of five shapes by {@code NN mod 5}: normal, log-normal
 * amounts in cents (ties), counts (many ties), uniform, normal with 2% nulls. Categorical feature
 * {@code cJ} has {@code 5 + 3 J} categories with skewed frequencies and 1% nulls.
 *
 * <p>Not thread-safe: {@link #generate()} writes the tables it does not find.
 */
final class DriftBenchData {
  static final String PARTITION_COLUMN = "day";
  static final int MANY_REFERENCE_DAYS = 30;
  private static final LocalDate START = LocalDate.of(2026, 1, 1);
  private static final long REFERENCE_IDS = 1_000_000_000_000L;
  private static final long MANY_IDS = 2_000_000_000_000L;
  private static final long MANY_REFERENCE_IDS = 3_000_000_000_000L;

  private final Warehouse warehouse;
  private final DriftBenchmark.Scale scale;
  private final String tag;

  DriftBenchData(Warehouse warehouse, DriftBenchmark.Scale scale) {
    this.warehouse = warehouse;
    this.scale = scale;
    this.tag = scale.name();
  }

  TableName current() {
    return TableName.parse("bench.drift_current_" + tag);
  }

  TableName reference() {
    return TableName.parse("bench.drift_reference_" + tag);
  }

  TableName many() {
    return TableName.parse("bench.drift_many_" + tag);
  }

  TableName manyReference() {
    return TableName.parse("bench.drift_many_reference_" + tag);
  }

  /** Writes the tables that do not exist yet. */
  void generate() {
    write(current(), 0, START, scale.days(), scale.rowsPerDay(), scale.days() - scale.shiftedDays());
    write(reference(), REFERENCE_IDS, START.minusDays(scale.referenceDays()), scale.referenceDays(),
        scale.referenceRowsPerDay(), Integer.MAX_VALUE);
    write(many(), MANY_IDS, START, scale.manyPartitions(), scale.rowsPerManyPartition(), Integer.MAX_VALUE);
    write(manyReference(), MANY_REFERENCE_IDS, START.minusDays(MANY_REFERENCE_DAYS), MANY_REFERENCE_DAYS,
        scale.rowsPerManyPartition(), Integer.MAX_VALUE);
  }

  private void write(TableName table, long firstId, LocalDate firstDay, int days, long rowsPerDay, int firstShiftedDay) {
    if (warehouse.exists(table)) {
      return;
    }
    Dataset<Row> rows = warehouse.spark().range(firstId, firstId + days * rowsPerDay, 1, Math.min(days, 16))
        .selectExpr(select(firstId, firstDay, rowsPerDay, firstShiftedDay).toArray(String[]::new));
    warehouse.write(rows, table).partitionBy(PARTITION_COLUMN).overwriting(true).commit();
  }

  /** The select list from {@code id}: the day, then every feature, shifted from day {@code firstShiftedDay} on. */
  private List<String> select(long firstId, LocalDate firstDay, long rowsPerDay, int firstShiftedDay) {
    String dayIndex = "floor((id - " + firstId + ") / " + rowsPerDay + ")";
    String shifted = "(" + dayIndex + " >= " + firstShiftedDay + ")";
    List<String> out = new ArrayList<>();
    out.add("date_add(DATE'" + firstDay + "', CAST(" + dayIndex + " AS INT)) AS " + PARTITION_COLUMN);
    for (int f = 0; f < scale.numeric(); f++) {
      out.add(numeric(f, shifted) + " AS " + numericName(f));
    }
    for (int j = 0; j < scale.categorical(); j++) {
      out.add(categorical(j, shifted) + " AS " + categoricalName(j));
    }
    return out;
  }

  static String numericName(int f) {
    return String.format("f%02d", f);
  }

  static String categoricalName(int j) {
    return "c" + j;
  }

  /** A uniform in (0, 1) from the row id and {@code salt}. */
  private static String uniform(int salt) {
    return "((pmod(xxhash64(id, " + salt + "), 1000000007) + 0.5) / 1000000007)";
  }

  /** A standard normal from the row id (Box-Muller) and {@code salt}. */
  private static String normal(int salt) {
    return "(sqrt(-2 * ln(" + uniform(salt) + ")) * cos(2 * pi() * " + uniform(salt + 1) + "))";
  }

  private static String numeric(int f, String shifted) {
    int salt = 100 + 10 * f;
    String z = "(" + normal(salt) + (f < 5 ? " + IF(" + shifted + ", 0.3, 0.0)" : "") + ")";
    return switch (f % 5) {
      case 0 -> z;
      case 1 -> "round(exp(1 + 0.8 * " + z + ") * 100) / 100";
      case 2 -> "CAST(floor(exp(0.5 + 0.7 * " + z + ")) AS DOUBLE)";
      case 3 -> "pow(" + uniform(salt + 5) + ", " + (f < 5 ? "IF(" + shifted + ", 0.8, 1.0)" : "1.0") + ")";
      default -> "IF(" + uniform(salt + 7) + " < 0.02, CAST(NULL AS DOUBLE), " + z + ")";
    };
  }

  private static String categorical(int j, String shifted) {
    int salt = 1000 + 10 * j;
    int categories = 5 + 3 * j;
    String skew = j < 2 ? "IF(" + shifted + ", 3.0, 2.0)" : "2.0";
    return "IF(" + uniform(salt + 1) + " < 0.01, CAST(NULL AS STRING), concat('" + categoricalName(j) + "_', CAST(floor(pow("
        + uniform(salt) + ", " + skew + ") * " + categories + ") AS STRING)))";
  }

  /** The columns compared: every feature, read by name. */
  List<ProfiledColumn> columns() {
    List<ProfiledColumn> out = new ArrayList<>();
    for (int f = 0; f < scale.numeric(); f++) {
      out.add(new ProfiledColumn(numericName(f), Identifiers.column(numericName(f)), Kind.NUMERIC));
    }
    for (int j = 0; j < scale.categorical(); j++) {
      out.add(new ProfiledColumn(categoricalName(j), Identifiers.column(categoricalName(j)), Kind.CATEGORICAL));
    }
    return out;
  }

  /** Every day of the current table against the whole reference table. */
  DriftInput mainInput() {
    return input(current(), scale.days(), reference());
  }

  /** The many small days against their reference table. */
  DriftInput manyInput() {
    return input(many(), scale.manyPartitions(), manyReference());
  }

  private DriftInput input(TableName table, int days, TableName referenceTable) {
    TableVersion current = warehouse.current(table);
    TableVersion reference = warehouse.current(referenceTable);
    DriftSide side = new DriftSide(warehouse.read(reference), ProfileKey.whole(reference.table(), reference.version()),
        columns());
    return new DriftInput(current, warehouse.read(current), PARTITION_COLUMN, days(days), columns(),
        new Reference.Whole(List.of(side)));
  }

  private static List<String> days(int count) {
    List<String> out = new ArrayList<>();
    for (int d = 0; d < count; d++) {
      out.add(START.plusDays(d).toString());
    }
    return out;
  }
}
