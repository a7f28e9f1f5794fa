package dev.mlops.validation;

import static org.apache.spark.sql.functions.lit;

import dev.mlops.core.spark.internal.SparkInternals;
import dev.mlops.validation.analyzers.Outcome;
import dev.mlops.validation.analyzers.ScanAnalyzer;
import dev.mlops.validation.analyzers.ScanState;
import dev.mlops.validation.analyzers.StateFold;
import dev.mlops.validation.internal.InternalScan;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The one pass over the data that computes every {@link ScanAnalyzer}: a single projection of all
 * their values, folded row by row (or a column batch at a time) into each analyzer's
 * {@link ScanState} on the executors, one state per analyzer and partition; the partitions' states
 * are merged on the driver. One Spark job.
 *
 * <p>Two paths give the same outcomes: through Spark's internals ({@link InternalScan}: Spark's
 * own rows, or a plain file scan's column batches read in place), and through the public API
 * (public {@link Row}s), taken when the internal one is turned off
 * ({@value SparkInternals#SETTING}) or this Spark lacks what it calls.
 *
 * <p>Why not one Spark aggregation: as soon as one aggregate is object-based (a sketch), Spark
 * runs the whole aggregation without generated code, every aggregate interpreted per row.
 */
final class ScanPass {
  private ScanPass() {}

  /**
   * The outcomes, and the path that read the data.
   *
   * @param outcomes by analyzer
   * @param path how the data was read
   */
  record Result(Map<ScanAnalyzer, Outcome> outcomes, ScanPath path) {}

  /**
   * Runs the analyzers over {@code data}, given each one's projections over it (in the order
   * {@link ScanAnalyzer#projections} gives them; they must resolve).
   */
  static Result run(Dataset<Row> data, Map<ScanAnalyzer, List<Column>> projections, SparkInternals.Availability internals) {
    List<ScanAnalyzer> analyzers = List.copyOf(projections.keySet());
    int[] offsets = new int[analyzers.size()];
    List<Column> columns = new ArrayList<>();
    for (int i = 0; i < analyzers.size(); i++) {
      offsets[i] = columns.size();
      columns.addAll(projections.get(analyzers.get(i)));
    }
    if (columns.isEmpty()) {
      columns.add(lit(true));
    }
    Dataset<Row> projected = data.select(columns.toArray(Column[]::new));
    StateFold fold = new StateFold(analyzers, data.schema(), offsets);
    ScanState[] states;
    ScanPath path;
    if (SparkInternals.use(internals, data.sparkSession())) {
      InternalScan.Folded folded = InternalScan.run(projected, fold);
      states = folded.states();
      path = folded.columnar() ? ScanPath.COLUMN_BATCHES : ScanPath.INTERNAL_ROWS;
    } else {
      JavaRDD<ScanState[]> folded = projected.javaRDD().mapPartitions(new PublicRowFold(fold));
      states = folded.getNumPartitions() == 0 ? fold.empty() : folded.reduce(StateFold::merge);
      path = ScanPath.PUBLIC_ROWS;
    }
    Map<ScanAnalyzer, Outcome> outcomes = new LinkedHashMap<>();
    for (int i = 0; i < analyzers.size(); i++) {
      outcomes.put(analyzers.get(i), analyzers.get(i).outcome(states[i]));
    }
    return new Result(outcomes, path);
  }

  /** Folds a partition of public rows into fresh states. */
  private record PublicRowFold(StateFold fold) implements FlatMapFunction<Iterator<Row>, ScanState[]> {
    private static final long serialVersionUID = 1L;

    @Override
    public Iterator<ScanState[]> call(Iterator<Row> rows) {
      ScanState[] states = fold.empty();
      RowValues values = new RowValues();
      while (rows.hasNext()) {
        fold.add(states, values.at(rows.next()));
      }
      return Collections.singletonList(states).iterator();
    }
  }
}
