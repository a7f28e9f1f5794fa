package dev.mlops.validation.analyzers;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.StructType;

/** The number of rows. */
public record Size() implements ScanAnalyzer {
  private static final long serialVersionUID = 1L;

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
  public List<Column> projections(StructType schema) {
    return List.of();
  }

  @Override
  public ScanState newState(StructType schema) {
    return new CountState(false);
  }

  @Override
  public Outcome outcome(ScanState state) {
    long n = ((CountState) state).rows();
    return Outcome.of(n, n);
  }
}
