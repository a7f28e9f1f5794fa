package dev.mlops.validation.internal;

import dev.mlops.core.spark.internal.SparkInternals;
import dev.mlops.validation.analyzers.ScanState;
import dev.mlops.validation.analyzers.StateFold;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.execution.SQLExecution;
import scala.Function0;
import scala.Option;

/**
 * The one door of validation to Spark's internals: the shared pass read from Spark's own rows, or
 * from the column batches of a plain file scan in place ({@link ColumnarScan}), as a SQL execution
 * of its own. Validation's public-API path ({@code dev.mlops.validation.ScanPass}) reads public
 * {@code Row}s instead, and gives the same outcomes.
 *
 * <p>What it relies on, and what fails when Spark changes it:
 * <ul>
 *   <li>{@code Dataset.queryExecution()}, {@code QueryExecution.toRdd()} and
 *       {@code SQLExecution.withNewExecutionId}: a missing method fails at the first call with a
 *       {@link LinkageError}; {@link #current()} checks them up front.
 *   <li>The physical plan nodes {@code WholeStageCodegenExec}, {@code ProjectExec},
 *       {@code InputAdapter}, {@code ColumnarToRowExec} and {@code FileSourceScanExec}: a plan
 *       shaped otherwise is read row by row, never wrongly.
 *   <li>Catalyst's {@code MutableProjection}, {@code Predicate}, {@code InternalRow} and the
 *       vectors {@code WritableColumnVector}: type changes fail compilation, caught by a version
 *       bump's build.
 *   <li>The private fields {@code WritableColumnVector.dictionary} and
 *       {@code ParquetDictionary.dictionary}, read by reflection ({@link ValueSource}): when they
 *       cannot be read, dictionary-encoded columns are read value by value instead.
 * </ul>
 * Everything else in validation sees only Spark's public API. Thread-safe.
 */
public final class InternalScan {
  /** The classes and methods the internal path calls. */
  static final List<String> REQUIRED = List.of(
      "org.apache.spark.sql.execution.QueryExecution#toRdd",
      "org.apache.spark.sql.execution.SQLExecution#withNewExecutionId",
      "org.apache.spark.sql.execution.FileSourceScanExec#executeColumnar",
      "org.apache.spark.sql.execution.ProjectExec#projectList",
      "org.apache.spark.sql.execution.WholeStageCodegenExec#child",
      "org.apache.spark.sql.execution.InputAdapter#child",
      "org.apache.spark.sql.execution.ColumnarToRowExec#child",
      "org.apache.spark.sql.catalyst.expressions.MutableProjection#create",
      "org.apache.spark.sql.catalyst.expressions.Predicate#create");

  private static final SparkInternals.Availability CURRENT = SparkInternals.probe(REQUIRED);

  private InternalScan() {}

  /** Whether this JVM's Spark has what the internal path calls (checked once). */
  public static SparkInternals.Availability current() {
    return CURRENT;
  }

  /**
   * The states of {@code fold} over every row of {@code projected} (the analyzers' projection),
   * read from the column batches of its file scan when it is a plain one, else from Spark's own
   * rows; one Spark job, as a SQL execution of its own so that the SQL tab shows the read.
   */
  public static Folded run(Dataset<Row> projected, StateFold fold) {
    QueryExecution execution = projected.queryExecution();
    Optional<ColumnarScan> batches = ColumnarScan.of(execution);
    ScanState[] states = SQLExecution.withNewExecutionId(execution, Option.apply("validation pass"),
        (Function0<ScanState[]>) () -> {
          JavaRDD<ScanState[]> folded = batches.isPresent() ? batches.get().fold(fold)
              : execution.toRdd().toJavaRDD().mapPartitions(new RowFold(fold));
          return folded.getNumPartitions() == 0 ? fold.empty() : folded.reduce(StateFold::merge);
        });
    return new Folded(states, batches.isPresent());
  }

  /**
   * The states after the pass.
   *
   * @param states one per analyzer, merged over every partition
   * @param columnar whether they were read from column batches
   */
  public record Folded(ScanState[] states, boolean columnar) {}

  /** Folds a partition of Spark's rows into fresh states. */
  private record RowFold(StateFold fold) implements FlatMapFunction<Iterator<InternalRow>, ScanState[]> {
    private static final long serialVersionUID = 1L;

    @Override
    public Iterator<ScanState[]> call(Iterator<InternalRow> rows) {
      ScanState[] states = fold.empty();
      InternalRowValues values = new InternalRowValues();
      while (rows.hasNext()) {
        fold.add(states, values.at(rows.next()));
      }
      return Collections.singletonList(states).iterator();
    }
  }
}
