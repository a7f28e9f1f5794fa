package dev.mlops.validation.analyzers;

import static org.apache.spark.sql.functions.col;

import dev.mlops.core.spark.Identifiers;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.StructType;

/** The share of rows where {@code column} is not null (1 for an empty table). */
public record Completeness(String column) implements ShareAnalyzer {
  private static final long serialVersionUID = 1L;

  @Override
  public String name() {
    return "completeness";
  }

  @Override
  public List<String> inputs() {
    return List.of(column);
  }

  @Override
  public List<Column> projections(StructType schema) {
    return List.of(col(Identifiers.quote(column)).isNotNull());
  }
}
