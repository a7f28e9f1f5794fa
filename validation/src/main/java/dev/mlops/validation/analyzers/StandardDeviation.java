package dev.mlops.validation.analyzers;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.StructType;

/** The population standard deviation of a numeric column (nulls ignored; fails when there is no value). */
public record StandardDeviation(String column) implements ScanAnalyzer {
  private static final long serialVersionUID = 1L;

  @Override
  public String name() {
    return "stddev";
  }

  @Override
  public List<String> inputs() {
    return List.of(column);
  }

  @Override
  public List<Column> projections(StructType schema) {
    return List.of(Numeric.asDouble(column));
  }

  @Override
  public ScanState newState(StructType schema) {
    return new MomentState();
  }

  @Override
  public String typeProblem(StructType schema) {
    return Numeric.requireNumber(schema, column, name());
  }

  @Override
  public Outcome outcome(ScanState state) {
    MomentState s = (MomentState) state;
    return s.count() == 0 ? Numeric.noValue(column) : Outcome.of(s.populationStddev());
  }
}
