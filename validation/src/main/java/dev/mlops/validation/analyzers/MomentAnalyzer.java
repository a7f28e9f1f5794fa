package dev.mlops.validation.analyzers;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.StructType;

/**
 * A statistic of the moments of one numeric column ({@link Mean}, {@link StandardDeviation}): it
 * reads the column as a double into a {@link MomentState} and refuses a column that is not
 * numeric. An implementation adds its {@link #name()} and how it reads its {@link #outcome}.
 * Implementations are immutable records, thread-safe.
 */
interface MomentAnalyzer extends ScanAnalyzer {
  @Override
  default List<String> inputs() {
    return List.of(column());
  }

  @Override
  default List<Column> projections(StructType schema) {
    return List.of(Numeric.asDouble(column()));
  }

  @Override
  default ScanState newState(StructType schema) {
    return new MomentState();
  }

  @Override
  default String typeProblem(StructType schema) {
    return Numeric.requireNumber(schema, column(), name());
  }
}
