package dev.mlops.validation.analyzers;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.StructType;

/**
 * An analyzer computed in the one shared pass over the data: it names the values it needs from
 * each row as Spark expressions (all analyzers' expressions form one projection, which Spark
 * compiles to code over the column batches), folds them into its {@link ScanState}, and reads its
 * outcome from the state merged over all partitions.
 */
public interface ScanAnalyzer extends Analyzer {
  /** The values it reads from each row, as expressions over data of {@code schema}. */
  List<Column> projections(StructType schema);

  /** An empty state for data of {@code schema}, fed the values of {@link #projections}. */
  ScanState newState(StructType schema);

  /** Its outcome from its state after every row. */
  Outcome outcome(ScanState state);

  /** Why it cannot run on data of {@code schema} (a column of the wrong type), or null. */
  default String typeProblem(StructType schema) {
    return null;
  }
}
