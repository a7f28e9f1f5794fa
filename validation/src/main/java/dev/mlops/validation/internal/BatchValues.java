package dev.mlops.validation.internal;

import dev.mlops.validation.analyzers.ValueBatch;
import dev.mlops.validation.analyzers.ValueRow;
import java.io.Serializable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The shared pass's projected values of a Parquet column batch, read in place: the
 * {@link dev.mlops.validation.analyzers.ScanState}s read a whole value column at a time
 * ({@link ValueBatch}), or a row at a time ({@link ValueRow}). Each value has a
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
final class BatchValues implements ValueBatch, ValueRow {
  private final ValueSource[] sources;
  private final ValueSource[] distinct;
  private int rows;
  private int row;
  private long batches;

  BatchValues(ValueSource[] sources) {
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
  public ValueRow row(int row) {
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
  public long getLong(int i) {
    return sources[i].getLong(row);
  }

  @Override
  public double getDouble(int i) {
    return sources[i].getDouble(row);
  }

  @Override
  public byte[] getBinary(int i) {
    return (byte[]) sources[i].get(row);
  }

  @Override
  public String getString(int i) {
    return sources[i].get(row).toString();
  }

  @Override
  public byte[] getUtf8(int i) {
    return ((UTF8String) sources[i].get(row)).getBytes();
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
