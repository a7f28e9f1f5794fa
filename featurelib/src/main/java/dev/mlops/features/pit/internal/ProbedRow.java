package dev.mlops.features.pit.internal;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.catalyst.util.MapData;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.unsafe.types.CalendarInterval;
import org.apache.spark.unsafe.types.GeographyVal;
import org.apache.spark.unsafe.types.GeometryVal;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.unsafe.types.VariantVal;

/**
 * An output row of the as-of join, read in place: the spine row and each view's matched values
 * side by side as its parts, each field found through two arrays (which part, which field of it).
 * A chain of {@code JoinedRow}s, one link per view and pass, walks every link on each access and
 * sums the widths of the links before it; the scan that reads the join's output reads every field
 * of every row. A broadcast pass that follows another pass takes over the parts of its input row
 * rather than wrapping it. Reused from row to row, as {@code JoinedRow} is: read a row before
 * asking for the next; {@link #copy()} makes one that stays.
 */
final class ProbedRow extends ReadOnlyRow {
  private static final long serialVersionUID = 1L;
  private final int[] part;
  private final int[] field;
  final InternalRow[] parts;

  /**
   * A row whose parts are those of {@code base} (or {@code base} itself when it is not a probed
   * row) followed by {@code widths.length} parts of those widths.
   *
   * @param types the types of all its fields, in order (for {@link #copy()})
   */
  static ProbedRow extending(InternalRow base, int[] widths, DataType[] types) {
    int total = base.numFields();
    for (int w : widths) {
      total += w;
    }
    if (total != types.length) {
      throw new IllegalStateException("a joined row of " + total + " fields for an output of " + types.length);
    }
    ProbedRow probed = base instanceof ProbedRow p ? p : null;
    int baseParts = probed == null ? 1 : probed.parts.length;
    ProbedRow row = new ProbedRow(baseParts + widths.length, types);
    int i = base.numFields();
    if (probed != null) {
      System.arraycopy(probed.part, 0, row.part, 0, i);
      System.arraycopy(probed.field, 0, row.field, 0, i);
    } else {
      for (int f = 0; f < i; f++) {
        row.part[f] = 0;
        row.field[f] = f;
      }
    }
    for (int w = 0; w < widths.length; w++) {
      for (int f = 0; f < widths[w]; f++, i++) {
        row.part[i] = baseParts + w;
        row.field[i] = f;
      }
    }
    return row;
  }

  private ProbedRow(int partCount, DataType[] types) {
    super(types);
    this.part = new int[types.length];
    this.field = new int[types.length];
    this.parts = new InternalRow[partCount];
  }

  /** Sets the parts: those of {@code base} (or {@code base} itself), then {@code values}. */
  ProbedRow set(InternalRow base, InternalRow[] values) {
    int n;
    if (base instanceof ProbedRow p) {
      n = p.parts.length;
      System.arraycopy(p.parts, 0, parts, 0, n);
    } else {
      n = 1;
      parts[0] = base;
    }
    System.arraycopy(values, 0, parts, n, values.length);
    return this;
  }


  @Override
  public boolean isNullAt(int i) {
    return parts[part[i]].isNullAt(field[i]);
  }

  @Override
  public boolean getBoolean(int i) {
    return parts[part[i]].getBoolean(field[i]);
  }

  @Override
  public byte getByte(int i) {
    return parts[part[i]].getByte(field[i]);
  }

  @Override
  public short getShort(int i) {
    return parts[part[i]].getShort(field[i]);
  }

  @Override
  public int getInt(int i) {
    return parts[part[i]].getInt(field[i]);
  }

  @Override
  public long getLong(int i) {
    return parts[part[i]].getLong(field[i]);
  }

  @Override
  public float getFloat(int i) {
    return parts[part[i]].getFloat(field[i]);
  }

  @Override
  public double getDouble(int i) {
    return parts[part[i]].getDouble(field[i]);
  }

  @Override
  public Decimal getDecimal(int i, int precision, int scale) {
    return parts[part[i]].getDecimal(field[i], precision, scale);
  }

  @Override
  public UTF8String getUTF8String(int i) {
    return parts[part[i]].getUTF8String(field[i]);
  }

  @Override
  public byte[] getBinary(int i) {
    return parts[part[i]].getBinary(field[i]);
  }

  @Override
  public GeographyVal getGeography(int i) {
    return parts[part[i]].getGeography(field[i]);
  }

  @Override
  public GeometryVal getGeometry(int i) {
    return parts[part[i]].getGeometry(field[i]);
  }

  @Override
  public CalendarInterval getInterval(int i) {
    return parts[part[i]].getInterval(field[i]);
  }

  @Override
  public VariantVal getVariant(int i) {
    return parts[part[i]].getVariant(field[i]);
  }

  @Override
  public InternalRow getStruct(int i, int numFields) {
    return parts[part[i]].getStruct(field[i], numFields);
  }

  @Override
  public ArrayData getArray(int i) {
    return parts[part[i]].getArray(field[i]);
  }

  @Override
  public MapData getMap(int i) {
    return parts[part[i]].getMap(field[i]);
  }

  @Override
  public Object get(int i, DataType type) {
    return parts[part[i]].get(field[i], type);
  }



}
