package dev.mlops.validation.analyzers;

import static org.apache.spark.sql.functions.expr;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;

/** The latest value of a timestamp or date column, as microseconds since the epoch. */
public record MaxTime(String column) implements ScanAnalyzer {
  @Override
  public String name() {
    return "max_time";
  }

  @Override
  public List<String> inputs() {
    return List.of(column);
  }

  @Override
  public List<Column> aggregations() {
    return List.of(expr("unix_micros(max(CAST(" + Names.quote(column) + " AS TIMESTAMP)))"));
  }

  @Override
  public String typeProblem(org.apache.spark.sql.types.StructType schema) {
    for (org.apache.spark.sql.types.StructField f : schema.fields()) {
      if (f.name().equals(column) && !(f.dataType() instanceof org.apache.spark.sql.types.TimestampType
          || f.dataType() instanceof org.apache.spark.sql.types.TimestampNTZType
          || f.dataType() instanceof org.apache.spark.sql.types.DateType)) {
        return "freshness needs a timestamp or date column; " + column + " is " + f.dataType().sql().toLowerCase(
            java.util.Locale.ROOT);
      }
    }
    return null;
  }

  @Override
  public Outcome read(Row row, int offset) {
    return row.isNullAt(offset) ? Outcome.failed("column " + column + " has no non-null value")
        : Outcome.of(row.getLong(offset));
  }
}
