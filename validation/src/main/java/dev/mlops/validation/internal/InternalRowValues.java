package dev.mlops.validation.internal;

import dev.mlops.validation.analyzers.ValueRow;
import org.apache.spark.sql.catalyst.InternalRow;

/** A projected row of Spark's internal format, read as the states read values. Reused from row to row. */
final class InternalRowValues implements ValueRow {
  private InternalRow row;

  /** Reads {@code next} from now on. */
  ValueRow at(InternalRow next) {
    this.row = next;
    return this;
  }

  @Override
  public boolean isNullAt(int ordinal) {
    return row.isNullAt(ordinal);
  }

  @Override
  public boolean getBoolean(int ordinal) {
    return row.getBoolean(ordinal);
  }

  @Override
  public long getLong(int ordinal) {
    return row.getLong(ordinal);
  }

  @Override
  public double getDouble(int ordinal) {
    return row.getDouble(ordinal);
  }

  @Override
  public byte[] getBinary(int ordinal) {
    return row.getBinary(ordinal);
  }

  @Override
  public String getString(int ordinal) {
    return row.getUTF8String(ordinal).toString();
  }

  @Override
  public byte[] getUtf8(int ordinal) {
    return row.getUTF8String(ordinal).getBytes();
  }
}
