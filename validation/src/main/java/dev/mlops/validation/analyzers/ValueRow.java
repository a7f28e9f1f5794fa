package dev.mlops.validation.analyzers;

/**
 * The projected values of one row, as the {@link ScanState}s of the shared pass read them: by
 * ordinal, in the types the analyzers project (boolean, bigint, double, string, binary). The pass
 * gives one per row, reused from row to row; a value is good until the next row.
 *
 * <p>Not thread-safe.
 */
public interface ValueRow {
  /** Whether the value at {@code ordinal} is null. */
  boolean isNullAt(int ordinal);

  /** The boolean at {@code ordinal}; false where it is null. */
  boolean getBoolean(int ordinal);

  /** The bigint at {@code ordinal}. */
  long getLong(int ordinal);

  /** The double at {@code ordinal}. */
  double getDouble(int ordinal);

  /** The binary value at {@code ordinal}. */
  byte[] getBinary(int ordinal);

  /** The string at {@code ordinal}. */
  String getString(int ordinal);

  /** The UTF-8 bytes of the string at {@code ordinal}: what a distinct-count sketch hashes. */
  byte[] getUtf8(int ordinal);
}
