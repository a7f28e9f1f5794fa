package dev.mlops.validation;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The slice of a table a run validates: {@code column=value}, such as {@code date=2026-11-01}.
 *
 * @param column the partition column
 * @param value its value, as text
 */
public record Partition(String column, String value) {
  /** Parses {@code column=value}. */
  public static Partition parse(String text) {
    int eq = text.indexOf('=');
    if (eq <= 0 || eq == text.length() - 1) {
      throw ValidationErrors.badPartitionArgument(text);
    }
    return new Partition(text.substring(0, eq).strip(), text.substring(eq + 1).strip());
  }

  /** The value as a date, when it is one. */
  public Optional<LocalDate> date() {
    try {
      return Optional.of(LocalDate.parse(value));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return column + "=" + value;
  }
}
