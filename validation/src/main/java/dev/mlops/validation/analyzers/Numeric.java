package dev.mlops.validation.analyzers;

import static org.apache.spark.sql.functions.expr;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The shared parts of the numeric statistics. */
final class Numeric {
  private Numeric() {}

  /** {@code function} of the column as a double. */
  static Column aggregate(String function, String column) {
    return expr(function + "(CAST(" + Names.quote(column) + " AS DOUBLE))");
  }

  /** Null when {@code column} is numeric in {@code schema}, else why not. */
  static String requireNumber(StructType schema, String column, String analyzer) {
    for (StructField f : schema.fields()) {
      if (f.name().equals(column) && !(f.dataType() instanceof NumericType)) {
        return analyzer + " needs a numeric column; " + column + " is " + f.dataType().sql().toLowerCase(java.util.Locale.ROOT);
      }
    }
    return null;
  }

  static Outcome read(Row row, int offset, String column) {
    return row.isNullAt(offset) ? Outcome.failed("column " + column + " has no non-null value")
        : Outcome.of(row.getDouble(offset));
  }
}
