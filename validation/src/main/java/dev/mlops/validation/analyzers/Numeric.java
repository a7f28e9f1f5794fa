package dev.mlops.validation.analyzers;

import static org.apache.spark.sql.functions.col;

import dev.mlops.core.spark.Identifiers;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The shared parts of the numeric statistics. */
final class Numeric {
  private Numeric() {}

  /** The column as a double. */
  static Column asDouble(String column) {
    return col(Identifiers.quote(column)).cast("double");
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

  /** The failure of a statistic over no value. */
  static Outcome noValue(String column) {
    return Outcome.failed("column " + column + " has no non-null value");
  }
}
