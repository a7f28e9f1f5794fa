package dev.mlops.validation;

import dev.mlops.core.spark.ReadOnlyRow;
import dev.mlops.validation.analyzers.ValueBatch;
import java.io.Serializable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.catalyst.util.MapData;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.apache.spark.unsafe.types.CalendarInterval;
import org.apache.spark.unsafe.types.GeographyVal;
import org.apache.spark.unsafe.types.GeometryVal;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.unsafe.types.VariantVal;

/**
 * The shared pass's projected values of a Parquet column batch, read in place: the
 * {@link dev.mlops.validation.analyzers.ScanState}s read a whole value column at a time
 * ({@link ValueBatch}), or a row at a time as they read a projected row. Each value has a
 * {@link ValueSource}, which per batch reads it one of five ways: straight from the column's vector (a
 * column as it is); as the vector's null flag (a column being set); once per entry of the
 * column's Parquet dictionary (an expression of one dictionary-encoded column, the column itself
 * included: an allowed set, a pattern, a predicate, a cast; its value is kept per entry in flat
 * arrays, so a regular expression runs once per distinct text of a row group, not once per row,
 * and idempotent states can add each entry once, see {@link ValueBatch#entries}); or, from the
 * batch's row, by Spark's compiled predicate (a condition that is never null) or compiled
 * projection. A value column is read in one loop per batch, whichever way, and kept for the
 * batch: values that several analyzers project alike (the same expression) share one source and
 * are read once.
 */
final class BatchValues extends ReadOnlyRow implements ValueBatch {
  private final ValueSource[] sources;
  private final ValueSource[] distinct;
  private int rows;
  private int row;
  private long batches;

  BatchValues(ValueSource[] sources) {
    super(Arrays.stream(sources).map(s -> s.type).toArray(DataType[]::new));
    this.sources = sources;
    this.distinct = Arrays.stream(sources).distinct().toArray(ValueSource[]::new);
  }

  /** Reads the rows of {@code batch} from now on. */
  void batch(ColumnarBatch batch) {
    rows = batch.numRows();
    batches++;
    for (ValueSource s : distinct) {
      s.bind(batch, batches);
    }
  }

  @Override
  public int rows() {
    return rows;
  }

  /** Reads row {@code row} of the batch from now on. */
  @Override
  public InternalRow row(int row) {
    this.row = row;
    return this;
  }

  @Override
  public long trueCount(int i) {
    return sources[i].trueCount();
  }

  @Override
  public int doubles(int i, double[] into) {
    return sources[i].doubles(into);
  }

  @Override
  public int longs(int i, long[] into) {
    return sources[i].longs(into);
  }

  @Override
  public boolean entries(int i, int[] into) {
    return sources[i].entries(into);
  }

  @Override
  public Object dictionary(int i) {
    return sources[i].dictionary();
  }


  @Override
  public boolean isNullAt(int i) {
    return sources[i].isNull(row);
  }

  @Override
  public boolean getBoolean(int i) {
    return sources[i].getBoolean(row);
  }

  @Override
  public byte getByte(int i) {
    return (byte) sources[i].getLong(row);
  }

  @Override
  public short getShort(int i) {
    return (short) sources[i].getLong(row);
  }

  @Override
  public int getInt(int i) {
    return (int) sources[i].getLong(row);
  }

  @Override
  public long getLong(int i) {
    return sources[i].getLong(row);
  }

  @Override
  public float getFloat(int i) {
    return (float) sources[i].getDouble(row);
  }

  @Override
  public double getDouble(int i) {
    return sources[i].getDouble(row);
  }

  @Override
  public UTF8String getUTF8String(int i) {
    return (UTF8String) sources[i].get(row);
  }

  @Override
  public byte[] getBinary(int i) {
    return (byte[]) sources[i].get(row);
  }

  @Override
  public Decimal getDecimal(int i, int precision, int scale) {
    return (Decimal) sources[i].get(row);
  }

  @Override
  public GeographyVal getGeography(int i) {
    return (GeographyVal) sources[i].get(row);
  }

  @Override
  public GeometryVal getGeometry(int i) {
    return (GeometryVal) sources[i].get(row);
  }

  @Override
  public CalendarInterval getInterval(int i) {
    return (CalendarInterval) sources[i].get(row);
  }

  @Override
  public VariantVal getVariant(int i) {
    return (VariantVal) sources[i].get(row);
  }

  @Override
  public InternalRow getStruct(int i, int numFields) {
    return (InternalRow) sources[i].get(row);
  }

  @Override
  public ArrayData getArray(int i) {
    return (ArrayData) sources[i].get(row);
  }

  @Override
  public MapData getMap(int i) {
    return (MapData) sources[i].get(row);
  }

  @Override
  public Object get(int i, DataType type) {
    return sources[i].isNull(row) ? null : sources[i].get(row);
  }

  /** What a {@link ValueSource} is made from on the executor: the value's expression over the scan's output. */
  record Plan(List<Expression> expressions, List<Attribute> output) implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * One source per value; values whose expressions are the same (deterministic, semantically
     * equal) share one, and the values of one column share its dictionary slots.
     */
    ValueSource[] sources(int partition) {
      ValueSource[] sources = new ValueSource[expressions.size()];
      Map<Integer, ValueSource.Slots> slots = new HashMap<>();
      for (int i = 0; i < sources.length; i++) {
        for (int j = 0; j < i && sources[i] == null; j++) {
          if (expressions.get(j).semanticEquals(expressions.get(i))) {
            sources[i] = sources[j];
          }
        }
        if (sources[i] == null) {
          int column = ValueSource.columnOf(expressions.get(i), output);
          sources[i] = new ValueSource(expressions.get(i), output, partition,
              column < 0 ? null : slots.computeIfAbsent(column, c -> new ValueSource.Slots()));
        }
      }
      return sources;
    }
  }
}
