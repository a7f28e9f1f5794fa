package dev.mlops.validation.analyzers;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;

/** The share of rows where {@code column} is not null (1 for an empty table). */
public record Completeness(String column) implements ScanAnalyzer {
  @Override
  public String name() {
    return "completeness";
  }

  @Override
  public List<String> inputs() {
    return List.of(column);
  }

  @Override
  public List<Column> aggregations() {
    return List.of(count(col(Names.quote(column))), count(lit(1)));
  }

  @Override
  public Outcome read(Row row, int offset) {
    long nonNull = row.getLong(offset);
    long n = row.getLong(offset + 1);
    return Outcome.of(n == 0 ? 1.0 : (double) nonNull / n, nonNull);
  }
}
