package dev.mlops.validation.analyzers;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import dev.mlops.validation.sketches.FrequentItemsState;
import dev.mlops.validation.sketches.HllState;
import dev.mlops.validation.sketches.KllState;
import dev.mlops.validation.sketches.SketchAggregator;
import dev.mlops.validation.sketches.SketchState;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A DataSketches sketch of a column, computed in the shared aggregation: {@link #quantiles} (KLL,
 * k {@value KllState#K}) and {@link #distinct} (HLL, lgK {@value HllState#LG_K}) by Spark's own
 * DataSketches aggregates ({@code kll_sketch_agg_double}, {@code hll_sketch_agg}: native,
 * code-generated neighbours, about twice as fast as a typed {@code Aggregator} here), and
 * {@link #topValues} (frequent items, which Spark 4.1 does not serialize in DataSketches' own
 * format) by our typed {@link SketchAggregator}. Either way the result is the sketch's bytes in
 * DataSketches' format; its outcome is the state, which checks read and {@code validation.profiles}
 * keeps.
 *
 * @param name {@code quantiles}, {@code approx_distinct} or {@code top_values}
 * @param column the column
 */
public record SketchAnalyzer(String name, String column) implements ScanAnalyzer {
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

  @Override
  public List<Column> aggregations() {
    return aggregations(null);
  }

  /**
   * Integers and strings are hashed as they are by the HLL (so 1 and "1" differ, as the column's
   * type says); other types by their text.
   */
  @Override
  public List<Column> aggregations(StructType schema) {
    String c = Names.quote(column);
    return switch (name) {
      case QUANTILES -> List.of(expr("kll_sketch_agg_double(CAST(" + c + " AS DOUBLE), " + KllState.K + ")"));
      case DISTINCT -> List.of(expr("hll_sketch_agg(" + (hashedAsIs(schema) ? c : "CAST(" + c + " AS STRING)") + ", "
          + HllState.LG_K + ")"));
      default -> {
        SketchAggregator<?, ?> agg = SketchAggregator.frequentItems();
        yield List.of(agg.function().apply(col(c).cast(agg.inputType())));
      }
    };
  }

  private boolean hashedAsIs(StructType schema) {
    if (schema == null) {
      return false;
    }
    for (StructField f : schema.fields()) {
      if (f.name().equals(column)) {
        DataType t = f.dataType();
        return t instanceof IntegerType || t instanceof LongType || t instanceof StringType || t instanceof BinaryType;
      }
    }
    return false;
  }

  @Override
  public String typeProblem(org.apache.spark.sql.types.StructType schema) {
    return name.equals(QUANTILES) ? Numeric.requireNumber(schema, column, "quantiles") : null;
  }

  @Override
  public Outcome read(Row row, int offset) {
    if (row.isNullAt(offset)) { // no value at all
      return Outcome.sketch(switch (name) {
        case QUANTILES -> new KllState();
        case DISTINCT -> new HllState();
        default -> new FrequentItemsState();
      });
    }
    String kind = switch (name) {
      case QUANTILES -> "kll";
      case DISTINCT -> "hll";
      default -> "frequent_items";
    };
    return Outcome.sketch(SketchState.fromBytes(kind, (byte[]) row.get(offset)));
  }
}
