package dev.mlops.validation.analyzers;

import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;

/** The number of rows. */
public record Size() implements ScanAnalyzer {
  @Override
  public String name() {
    return "size";
  }

  @Override
  public String column() {
    return "*";
  }

  @Override
  public List<String> inputs() {
    return List.of();
  }

  @Override
  public List<Column> aggregations() {
    return List.of(count(lit(1)));
  }

  @Override
  public Outcome read(Row row, int offset) {
    long n = row.getLong(offset);
    return Outcome.of(n, n);
  }
}
