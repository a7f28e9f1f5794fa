package dev.mlops.validation.analyzers;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;

/** The mean of a numeric column (nulls ignored; fails when there is no value). */
public record Mean(String column) implements ScanAnalyzer {
  @Override
  public String name() {
    return "mean";
  }

  @Override
  public List<String> inputs() {
    return List.of(column);
  }

  @Override
  public List<Column> aggregations() {
    return List.of(Numeric.aggregate("avg", column));
  }

  @Override
  public String typeProblem(org.apache.spark.sql.types.StructType schema) {
    return Numeric.requireNumber(schema, column, name());
  }

  @Override
  public Outcome read(Row row, int offset) {
    return Numeric.read(row, offset, column);
  }
}
