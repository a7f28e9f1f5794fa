package dev.mlops.validation;

import dev.mlops.validation.analyzers.ValueRow;
import java.nio.charset.StandardCharsets;
import org.apache.spark.sql.Row;

/** A public {@link Row} of the projection, read as the states read values. Reused from row to row. */
final class RowValues implements ValueRow {
  private Row row;

  /** Reads {@code next} from now on. */
  ValueRow at(Row next) {
    this.row = next;
    return this;
  }

  @Override
  public boolean isNullAt(int ordinal) {
    return row.isNullAt(ordinal);
  }

  @Override
  public boolean getBoolean(int ordinal) {
    return !row.isNullAt(ordinal) && row.getBoolean(ordinal);
  }

  /** A bigint, or a timestamp as Spark keeps it: microseconds since the epoch (UTC). */
  @Override
  public long getLong(int ordinal) {
    Object v = row.get(ordinal);
    if (v instanceof java.sql.Timestamp t) {
      return micros(t.toInstant());
    }
    if (v instanceof java.time.Instant i) {
      return micros(i);
    }
    if (v instanceof java.time.LocalDateTime t) {
      return micros(t.toInstant(java.time.ZoneOffset.UTC));
    }
    return ((Number) v).longValue();
  }

  private static long micros(java.time.Instant i) {
    return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1_000);
  }

  @Override
  public double getDouble(int ordinal) {
    return ((Number) row.get(ordinal)).doubleValue();
  }

  @Override
  public byte[] getBinary(int ordinal) {
    return (byte[]) row.get(ordinal);
  }

  @Override
  public String getString(int ordinal) {
    return row.getString(ordinal);
  }

  @Override
  public byte[] getUtf8(int ordinal) {
    return row.getString(ordinal).getBytes(StandardCharsets.UTF_8);
  }
}
