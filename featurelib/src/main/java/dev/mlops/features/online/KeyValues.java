package dev.mlops.features.online;

import dev.mlops.features.ValueType;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/**
 * A join key value given to the online store, as the value of its declared type: a typed Java
 * value of that type, or its text ({@code mlops online get --key customer_id=42}). Integers in
 * decimal, dates {@code yyyy-mm-dd}, timestamps as ISO-8601 instants
 * ({@code 2026-11-01T08:00:00Z}), booleans {@code true}/{@code false}. A value that is not of the
 * key's type has no online entity: reading it would answer an empty vector for a mistyped key, so
 * it is refused. Stateless and thread-safe.
 */
final class KeyValues {
  private KeyValues() {}

  /** The value of {@code value} as {@code type}, ready for {@link ValueCodec#encode}; empty when it is not one. */
  static Optional<Object> typed(ValueType type, Object value) {
    try {
      return Optional.ofNullable(value instanceof CharSequence text ? parse(type, text.toString()) : convert(type, value));
    } catch (NumberFormatException | DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static Object parse(ValueType type, String text) {
    return switch (type) {
      case BIGINT -> Long.parseLong(text);
      case INT -> Integer.parseInt(text);
      case DOUBLE -> Double.parseDouble(text);
      case FLOAT -> Float.parseFloat(text);
      case STRING -> text;
      case BOOLEAN -> switch (text.toLowerCase(Locale.ROOT)) {
        case "true" -> true;
        case "false" -> false;
        default -> null;
      };
      case DATE -> LocalDate.parse(text);
      case TIMESTAMP -> Instant.parse(text);
    };
  }

  private static Object convert(ValueType type, Object value) {
    boolean integral = value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte;
    return switch (type) {
      case BIGINT -> integral ? ((Number) value).longValue() : null;
      case INT -> integral && ((Number) value).longValue() == ((Number) value).intValue() ? ((Number) value).intValue() : null;
      case DOUBLE -> value instanceof Double ? value : null;
      case FLOAT -> value instanceof Float ? value : null;
      case STRING -> null;
      case BOOLEAN -> value instanceof Boolean ? value : null;
      case DATE -> value instanceof LocalDate || value instanceof java.sql.Date ? value : null;
      case TIMESTAMP -> value instanceof Instant || value instanceof java.sql.Timestamp ? value : null;
    };
  }
}
