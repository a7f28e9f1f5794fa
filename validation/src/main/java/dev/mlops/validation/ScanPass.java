package dev.mlops.validation;

import static org.apache.spark.sql.functions.lit;

import dev.mlops.validation.analyzers.Outcome;
import dev.mlops.validation.analyzers.ScanAnalyzer;
import dev.mlops.validation.analyzers.ScanState;
import dev.mlops.validation.analyzers.ValueBatch;
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
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.execution.SQLExecution;
import org.apache.spark.sql.types.StructType;
import scala.Function0;
import scala.Option;

/**
 * The one pass over the data that computes every {@link ScanAnalyzer}: a single projection of all
 * their values (Spark compiles it to code that reads the column batches), folded row by row into
 * each analyzer's {@link ScanState} on the executors, one state per analyzer and partition; the
 * partitions' states are merged on the driver. One Spark job. When the data is a plain file scan,
 * the states read the scan's column batches in place instead ({@link ColumnarScan}).
 *
 * <p>Why not one Spark aggregation: as soon as one aggregate is object-based (a sketch), Spark
 * runs the whole aggregation without generated code, every aggregate interpreted per row; on 10M
 * rows and 20 checks that took 5.16 s where this pass took 3.63 s over rows and takes 0.8 to 1.0 s
 * over column batches (see docs/BENCHMARKS.md).
 */
final class ScanPass {
  private ScanPass() {}

  /**
   * Runs the analyzers over {@code data}, given each one's projections over it (in the order
   * {@link ScanAnalyzer#projections} gives them; they must resolve).
   */
  static Map<ScanAnalyzer, Outcome> run(Dataset<Row> data, Map<ScanAnalyzer, List<Column>> projections) {
    StructType schema = data.schema();
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
    QueryExecution projection = data.select(columns.toArray(Column[]::new)).queryExecution();
    Fold fold = new Fold(analyzers, schema, offsets);
    java.util.Optional<ColumnarScan> batches = ColumnarScan.of(projection);
    // As a SQL execution of its own, so that the SQL tab and query listeners (lineage) see the read.
    ScanState[] states = SQLExecution.withNewExecutionId(projection, Option.apply("validation pass"),
        (Function0<ScanState[]>) () -> {
          JavaRDD<ScanState[]> folded = batches.isPresent() ? batches.get().fold(fold)
              : projection.toRdd().toJavaRDD().mapPartitions(fold);
          return folded.getNumPartitions() == 0 ? fold.empty() : folded.reduce(ScanPass::merge);
        });
    Map<ScanAnalyzer, Outcome> outcomes = new LinkedHashMap<>();
    for (int i = 0; i < analyzers.size(); i++) {
      outcomes.put(analyzers.get(i), analyzers.get(i).outcome(states[i]));
    }
    return outcomes;
  }

  private static ScanState[] merge(ScanState[] a, ScanState[] b) {
    for (int i = 0; i < a.length; i++) {
      a[i] = a[i].merge(b[i]);
    }
    return a;
  }

  /** Folds a partition's rows into fresh states, one per analyzer. */
  static final class Fold implements FlatMapFunction<Iterator<InternalRow>, ScanState[]> {
    private static final long serialVersionUID = 1L;
    private final List<ScanAnalyzer> analyzers;
    private final StructType schema;
    private final int[] offsets;

    Fold(List<ScanAnalyzer> analyzers, StructType schema, int[] offsets) {
      this.analyzers = List.copyOf(analyzers);
      this.schema = schema;
      this.offsets = offsets.clone();
    }

    /** Fresh states, one per analyzer. */
    ScanState[] empty() {
      ScanState[] states = new ScanState[analyzers.size()];
      for (int i = 0; i < states.length; i++) {
        states[i] = analyzers.get(i).newState(schema);
      }
      return states;
    }

    @Override
    public Iterator<ScanState[]> call(Iterator<InternalRow> rows) {
      ScanState[] states = empty();
      while (rows.hasNext()) {
        add(states, rows.next());
      }
      return Collections.singletonList(states).iterator();
    }

    /** Adds one row of the projection's values to the states. */
    void add(ScanState[] states, InternalRow row) {
      for (int i = 0; i < states.length; i++) {
        states[i].update(row, offsets[i]);
      }
    }

    /** Adds a batch of the projection's values to the states, each state the whole batch at once. */
    void addBatch(ScanState[] states, ValueBatch batch) {
      for (int i = 0; i < states.length; i++) {
        states[i].updateBatch(batch, offsets[i]);
      }
    }
  }
}
