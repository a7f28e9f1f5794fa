package dev.mlops.validation.analyzers;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * An analyzer computed in the one shared aggregation over the data: it contributes aggregate
 * expressions and reads its slice of the single result row back.
 */
public interface ScanAnalyzer extends Analyzer {
  /** The aggregate expressions, in the order {@link #read} expects them. */
  List<Column> aggregations();

  /** The aggregate expressions for data of {@code schema} (by default {@link #aggregations()}). */
  default List<Column> aggregations(StructType schema) {
    return aggregations();
  }

  /** Its outcome from {@code row}, whose values at {@code offset ..} are its aggregations' results. */
  Outcome read(Row row, int offset);

  /** Why it cannot run on data of {@code schema} (a column of the wrong type), or null. */
  default String typeProblem(StructType schema) {
    return null;
  }
}
