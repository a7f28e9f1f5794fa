package dev.mlops.validation.analyzers;

import static org.apache.spark.sql.functions.col;

import dev.mlops.core.spark.Identifiers;
import dev.mlops.validation.sketches.FrequentItemsState;
import dev.mlops.validation.sketches.HllState;
import dev.mlops.validation.sketches.KllState;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A DataSketches sketch of a column, folded in the shared pass: {@link #quantiles} (KLL, k
 * {@value KllState#K}), {@link #distinct} (HLL, lgK {@value HllState#LG_K}) and {@link #topValues}
 * (frequent items). Its outcome is the sketch state (DataSketches' own format when serialized),
 * which checks read and {@code validation.profiles} keeps. HLL sketches hash values as Spark's
 * {@code hll_sketch_agg} does, so sketches from either merge.
 *
 * @param name {@code quantiles}, {@code approx_distinct} or {@code top_values}
 * @param column the column
 */
public record SketchAnalyzer(String name, String column) implements ScanAnalyzer {
  private static final long serialVersionUID = 1L;
  public static final String QUANTILES = "quantiles";
  public static final String DISTINCT = "approx_distinct";
  public static final String TOP_VALUES = "top_values";

  public SketchAnalyzer {
    if (!List.of(QUANTILES, DISTINCT, TOP_VALUES).contains(name)) {
      throw new IllegalArgumentException("no sketch analyzer " + name);
    }
  }

  public static SketchAnalyzer quantiles(String column) {
    return new SketchAnalyzer(QUANTILES, column);
  }

  public static SketchAnalyzer distinct(String column) {
    return new SketchAnalyzer(DISTINCT, column);
  }

  public static SketchAnalyzer topValues(String column) {
    return new SketchAnalyzer(TOP_VALUES, column);
  }

  @Override
  public List<String> inputs() {
    return List.of(column);
  }

  /**
   * What the sketch reads: quantiles a double; distinct counts integers as 64-bit values, strings
   * and binary as they are, other types as text (as Spark's {@code hll_sketch_agg} hashes them, so
   * that 1 and "1" differ, as the column's type says); top values text.
   */
  @Override
  public List<Column> projections(StructType schema) {
    Column c = col(Identifiers.quote(column));
    return List.of(switch (input(schema)) {
      case DOUBLE -> c.cast("double");
      case LONG -> c.cast("bigint");
      case STRING_BYTES -> type(schema) instanceof StringType ? c : c.cast("string");
      case BINARY -> c;
      case TEXT -> c.cast("string");
    });
  }

  @Override
  public ScanState newState(StructType schema) {
    return new SketchScanState(input(schema), switch (name) {
      case QUANTILES -> new KllState();
      case DISTINCT -> new HllState();
      default -> new FrequentItemsState();
    });
  }

  private SketchScanState.Input input(StructType schema) {
    if (name.equals(QUANTILES)) {
      return SketchScanState.Input.DOUBLE;
    }
    if (name.equals(TOP_VALUES)) {
      return SketchScanState.Input.TEXT;
    }
    DataType t = type(schema);
    if (t instanceof ByteType || t instanceof ShortType || t instanceof IntegerType || t instanceof LongType) {
      return SketchScanState.Input.LONG;
    }
    return t instanceof BinaryType ? SketchScanState.Input.BINARY : SketchScanState.Input.STRING_BYTES;
  }

  private DataType type(StructType schema) {
    for (StructField f : schema.fields()) {
      if (f.name().equals(column)) {
        return f.dataType();
      }
    }
    throw new IllegalArgumentException("no column " + column);
  }

  @Override
  public String typeProblem(StructType schema) {
    return name.equals(QUANTILES) ? Numeric.requireNumber(schema, column, "quantiles") : null;
  }

  @Override
  public Outcome outcome(ScanState state) {
    return Outcome.sketch(((SketchScanState) state).sketch());
  }
}
