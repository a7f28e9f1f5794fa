package dev.mlops.validation.analyzers;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import dev.mlops.core.spark.Identifiers;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/** The latest value of a timestamp or date column, as microseconds since the epoch. */
public record MaxTime(String column) implements ScanAnalyzer {
  private static final long serialVersionUID = 1L;

  @Override
  public String name() {
    return "max_time";
  }

  @Override
  public List<String> inputs() {
    return List.of(column);
  }

  /** A timestamp column as it is (Spark holds it as microseconds since the epoch), a date or local timestamp cast to one. */
  @Override
  public List<Column> projections(StructType schema) {
    for (StructField f : schema.fields()) {
      if (f.name().equals(column) && f.dataType() instanceof TimestampType) {
        return List.of(col(Identifiers.quote(column)));
      }
    }
    return List.of(expr("unix_micros(CAST(" + Identifiers.quote(column) + " AS TIMESTAMP))"));
  }

  @Override
  public ScanState newState(StructType schema) {
    return new MaxState();
  }

  @Override
  public String typeProblem(StructType schema) {
    for (StructField f : schema.fields()) {
      if (f.name().equals(column) && !(f.dataType() instanceof TimestampType || f.dataType() instanceof TimestampNTZType
          || f.dataType() instanceof DateType)) {
        return "freshness needs a timestamp or date column; " + column + " is " + f.dataType().sql().toLowerCase(Locale.ROOT);
      }
    }
    return null;
  }

  @Override
  public Outcome outcome(ScanState state) {
    MaxState s = (MaxState) state;
    return s.seen() ? Outcome.of(s.max()) : Numeric.noValue(column);
  }
}
