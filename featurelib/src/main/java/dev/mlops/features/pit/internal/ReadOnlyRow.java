package dev.mlops.features.pit.internal;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.DataType;

/**
 * A row of Spark's internal format that reads its fields in place from elsewhere (other rows,
 * column vectors) and is never written: setting a field fails, and {@link #copy()} copies every
 * field's value into a row of its own.
 */
abstract class ReadOnlyRow extends InternalRow {
  private final DataType[] types;

  /** @param types the types of all its fields, in order */
  protected ReadOnlyRow(DataType[] types) {
    this.types = types;
  }

  @Override
  public int numFields() {
    return types.length;
  }

  @Override
  public void setNullAt(int i) {
    throw new UnsupportedOperationException("a " + getClass().getSimpleName() + " is read-only");
  }

  @Override
  public void update(int i, Object value) {
    throw new UnsupportedOperationException("a " + getClass().getSimpleName() + " is read-only");
  }

  @Override
  public InternalRow copy() {
    Object[] values = new Object[types.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = isNullAt(i) ? null : InternalRow.copyValue(get(i, types[i]));
    }
    return new GenericInternalRow(values);
  }
}
