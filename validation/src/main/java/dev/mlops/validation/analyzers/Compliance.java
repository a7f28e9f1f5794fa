package dev.mlops.validation.analyzers;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;

/**
 * The share of rows for which a SQL predicate is true (null counts as false; 1 for an empty
 * table); {@link Outcome#rows()} is the number of rows that pass.
 *
 * @param name the check it serves, so that two checks with the same predicate still differ in name
 * @param predicate Spark SQL over the row's columns
 * @param inputs the columns the predicate reads
 */
public record Compliance(String name, String predicate, List<String> inputs) implements ScanAnalyzer {
  public Compliance {
    inputs = List.copyOf(inputs);
  }

  @Override
  public String column() {
    return String.join(",", inputs);
  }

  /** The predicate as a column that is never null: true when the row passes. */
  public Column passes() {
    return coalesce(expr(predicate), lit(false));
  }

  @Override
  public List<Column> aggregations() {
    return List.of(sum(when(passes(), 1L).otherwise(0L)), count(lit(1)));
  }

  @Override
  public Outcome read(Row row, int offset) {
    long n = row.getLong(offset + 1);
    long passing = row.isNullAt(offset) ? 0 : row.getLong(offset);
    return Outcome.of(n == 0 ? 1.0 : (double) passing / n, passing);
  }
}
