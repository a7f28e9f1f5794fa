package dev.mlops.features.online;

import dev.mlops.features.ValueType;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;

/**
 * How feature values are stored in Redis: as text. Integers in decimal; floating-point numbers as
 * Java prints them (shortest text that reads back exactly); booleans {@code true}/{@code false};
 * strings as UTF-8; dates {@code yyyy-mm-dd}; timestamps as microseconds since the epoch (UTC),
 * in decimal. A null value is an absent field.
 */
final class ValueCodec {
  private ValueCodec() {}

  /** The stored text of {@code value} (a Spark external value), or null for null. */
  public static String encode(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof Timestamp t) {
      return String.valueOf(Math.floorDiv(t.getTime(), 1000) * 1_000_000L + t.getNanos() / 1000);
    }
    if (value instanceof java.time.Instant i) {
      return String.valueOf(i.getEpochSecond() * 1_000_000L + i.getNano() / 1000);
    }
    if (value instanceof Date d) {
      return d.toLocalDate().toString();
    }
    return value.toString();
  }

  /** The value of stored {@code text} of type {@code type} (null for null). */
  public static Object decode(String text, ValueType type) {
    if (text == null) {
      return null;
    }
    return switch (type) {
      case BIGINT -> Long.parseLong(text);
      case INT -> Integer.parseInt(text);
      case DOUBLE -> Double.parseDouble(text);
      case FLOAT -> Float.parseFloat(text);
      case BOOLEAN -> Boolean.parseBoolean(text);
      case STRING -> text;
      case DATE -> LocalDate.parse(text);
      case TIMESTAMP -> {
        long micros = Long.parseLong(text);
        yield java.time.Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
      }
    };
  }
}
