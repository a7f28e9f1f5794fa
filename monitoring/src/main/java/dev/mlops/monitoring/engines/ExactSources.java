package dev.mlops.monitoring.engines;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_position;
import static org.apache.spark.sql.functions.lit;

import dev.mlops.core.spark.Identifiers;
import dev.mlops.monitoring.DriftInput;
import dev.mlops.monitoring.DriftSide;
import dev.mlops.monitoring.MonitoringErrors;
import dev.mlops.monitoring.Reference;
import dev.mlops.validation.profiles.PartitionProfiler.Kind;
import dev.mlops.validation.profiles.PartitionProfiler.ProfiledColumn;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * The rows the exact engine reads, as {@link Source}s: the current partitions, and the reference
 * (the current table's reference partitions, or each side of a whole reference with the columns
 * read from it). Column {@code i} of the input is read as index {@code i} in every source.
 *
 * <p>Stateless.
 */
final class ExactSources {
  private ExactSources() {}

  /**
   * Rows of one side, with what they are counted and grouped under.
   *
   * @param rows the rows
   * @param reference whether they are the reference's
   * @param rowKey what each row is counted under, to tell an empty partition or side: the partition
   *     value, or {@link #sideKey(int)} for a side of a whole reference
   * @param group what the values are grouped under: the partition value for current rows, null
   *     (all together) for the reference
   * @param slot the same as a number: the partition's position among the input's partitions, or
   *     their count for the reference
   * @param reads the columns read from these rows
   */
  record Source(Dataset<Row> rows, boolean reference, Column rowKey, Column group, Column slot, List<Read> reads) {
    /** The reads of one kind. */
    List<Read> reads(Kind kind) {
      return reads.stream().filter(r -> r.kind() == kind).toList();
    }
  }

  /**
   * One column read from a source.
   *
   * @param index the column's position among the input's columns
   * @param value the expression that reads it from the source's rows
   * @param kind numeric or categorical
   */
  record Read(int index, Column value, Kind kind) {}

  /** The slot of the reference: after every partition. */
  private static Column referenceSlot(DriftInput input) {
    return lit(input.partitions().size());
  }

  /** The row key of side {@code k} of a whole reference. */
  static String sideKey(int k) {
    return "side " + k;
  }

  /**
   * The current partitions, then the reference.
   *
   * @throws dev.mlops.core.PlatformException when no side of a whole reference has a column compared
   */
  static List<Source> of(DriftInput input) {
    Column partition = Identifiers.column(input.partitionColumn()).cast("string");
    List<Read> all = new ArrayList<>();
    for (int i = 0; i < input.columns().size(); i++) {
      all.add(new Read(i, input.columns().get(i).value(), input.columns().get(i).kind()));
    }
    Column slot = array_position(array(input.partitions().stream().map(functions::lit).toArray(Column[]::new)), partition)
        .minus(1).cast("int");
    List<Source> sources = new ArrayList<>();
    sources.add(new Source(input.rows().where(partition.isin(input.partitions().toArray())), false, partition, partition,
        slot, all));
    if (input.reference() instanceof Reference.Partitions range) {
      sources.add(new Source(input.rows().where(partition.isin(range.partitions().toArray())), true, partition,
          lit(null).cast("string"), referenceSlot(input), all));
    } else {
      sources.addAll(sides(input, (Reference.Whole) input.reference()));
    }
    return sources;
  }

  /** Each side with the columns read from it: a column from the last side that has it, as the sketch engine merges them. */
  private static List<Source> sides(DriftInput input, Reference.Whole whole) {
    Map<String, Integer> sideOf = new LinkedHashMap<>();
    for (int k = 0; k < whole.sides().size(); k++) {
      for (ProfiledColumn c : whole.sides().get(k).columns()) {
        sideOf.put(c.name(), k);
      }
    }
    for (ProfiledColumn c : input.columns()) {
      if (!sideOf.containsKey(c.name())) {
        throw MonitoringErrors.referenceColumnMissing(c.name(), whole.describe(), new ArrayList<>(sideOf.keySet()));
      }
    }
    List<Source> sources = new ArrayList<>();
    for (int k = 0; k < whole.sides().size(); k++) {
      DriftSide side = whole.sides().get(k);
      List<Read> reads = new ArrayList<>();
      for (int i = 0; i < input.columns().size(); i++) {
        String name = input.columns().get(i).name();
        if (sideOf.get(name) == k) {
          ProfiledColumn read = side.columns().stream().filter(c -> c.name().equals(name)).reduce((a, b) -> b).orElseThrow();
          reads.add(new Read(i, read.value(), input.columns().get(i).kind()));
        }
      }
      sources.add(new Source(side.rows(), true, lit(sideKey(k)), lit(null).cast("string"), referenceSlot(input), reads));
    }
    return sources;
  }
}
