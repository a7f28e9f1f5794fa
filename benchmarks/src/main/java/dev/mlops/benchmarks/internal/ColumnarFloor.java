package dev.mlops.benchmarks.internal;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.execution.FileSourceScanExec;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.execution.SQLExecution;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.vectorized.WritableColumnVector;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import scala.Function0;
import scala.Option;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The floor of a one-pass validation: every value of a plain Parquet scan touched once in its
 * encoded form (a dictionary-encoded column's ids, else the value itself), straight from the
 * scan's column batches (no rows made), each partition folded into one array of counts and the
 * arrays reduced in the same single job as the validation pass. The benchmarks' one door to
 * Spark's internals: {@code Dataset.queryExecution}, {@code FileSourceScanExec#executeColumnar},
 * {@code SQLExecution.withNewExecutionId} and {@code WritableColumnVector}'s dictionary ids.
 */
public final class ColumnarFloor {
  private ColumnarFloor() {}

  /**
   * Touches every value of {@code scan} (a plain Parquet read of the columns wanted): per column,
   * its non-null count, then the row count, then a checksum of the values read.
   *
   * @throws IllegalArgumentException when {@code scan} is not a plain columnar file scan
   */
  public static long[] touch(Dataset<Row> scan) {
    QueryExecution execution = scan.queryExecution();
    FileSourceScanExec files = fileScan(execution.executedPlan());
    if (files == null || !files.supportsColumnar()) {
      throw new IllegalArgumentException("the columnar floor needs a plain columnar file scan, not " + execution.executedPlan());
    }
    DataType[] types = CollectionConverters.asJava(files.output()).stream().map(a -> a.dataType()).toArray(DataType[]::new);
    return SQLExecution.withNewExecutionId(execution, Option.apply("columnar floor"), (Function0<long[]>) () -> {
      JavaRDD<long[]> folded = files.executeColumnar().toJavaRDD().mapPartitions(new Touch(types));
      return folded.reduce(ColumnarFloor::add);
    });
  }

  private static FileSourceScanExec fileScan(SparkPlan top) {
    Deque<SparkPlan> todo = new ArrayDeque<>();
    todo.add(top);
    while (!todo.isEmpty()) {
      SparkPlan p = todo.poll();
      if (p instanceof FileSourceScanExec f) {
        return f;
      }
      todo.addAll(CollectionConverters.asJava(p.children()));
    }
    return null;
  }

  private static long[] add(long[] a, long[] b) {
    for (int i = 0; i < a.length; i++) {
      a[i] += b[i];
    }
    return a;
  }

  /** Folds a partition's batches into non-null counts (and a checksum that keeps the reads live). */
  private record Touch(DataType[] types) implements FlatMapFunction<Iterator<ColumnarBatch>, long[]> {
    private static final long serialVersionUID = 1L;

    @Override
    public Iterator<long[]> call(Iterator<ColumnarBatch> batches) {
      long[] counts = new long[types.length + 2];
      while (batches.hasNext()) {
        ColumnarBatch batch = batches.next();
        int rows = batch.numRows();
        for (int j = 0; j < types.length; j++) {
          ColumnVector v = batch.column(j);
          ColumnVector ids = v instanceof WritableColumnVector w && w.hasDictionary() ? w.getDictionaryIds() : null;
          for (int i = 0; i < rows; i++) {
            if (!v.isNullAt(i)) {
              counts[j]++;
              counts[types.length + 1] += ids != null ? ids.getInt(i) : value(v, types[j], i);
            }
          }
        }
        counts[types.length] += rows;
      }
      return Collections.singletonList(counts).iterator();
    }

    private static long value(ColumnVector v, DataType type, int i) {
      if (type.equals(DataTypes.IntegerType) || type.equals(DataTypes.DateType)) {
        return v.getInt(i);
      } else if (type.equals(DataTypes.DoubleType)) {
        return Double.doubleToRawLongBits(v.getDouble(i));
      } else if (type.equals(DataTypes.StringType)) {
        return v.getUTF8String(i).numBytes();
      }
      return v.getLong(i);
    }
  }
}
