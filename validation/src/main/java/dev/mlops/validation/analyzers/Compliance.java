package dev.mlops.validation.analyzers;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.StructType;

/**
 * The share of rows for which a SQL predicate is true (null counts as false; 1 for an empty
 * table); {@link Outcome#rows()} is the number of rows that pass.
 *
 * @param name the check it serves, so that two checks with the same predicate still differ in name
 * @param predicate Spark SQL over the row's columns
 * @param inputs the columns the predicate reads
 */
public record Compliance(String name, String predicate, List<String> inputs) implements ShareAnalyzer {
  private static final long serialVersionUID = 1L;

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
  public List<Column> projections(StructType schema) {
    return List.of(passes());
  }
}
