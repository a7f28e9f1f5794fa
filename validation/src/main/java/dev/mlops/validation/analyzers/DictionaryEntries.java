package dev.mlops.validation.analyzers;

/**
 * A row whose values may be read from a Parquet dictionary, one entry per distinct value of a
 * column chunk: a state whose update is idempotent (a distinct count's sketch) adds each entry
 * once per dictionary instead of once per row, with the same result.
 */
public interface DictionaryEntries {
  /**
   * Which entry of its dictionary the value at {@code ordinal} is (a number from 0, the same for
   * the same value of the same dictionary), or -1 when it is not read from one.
   */
  int entry(int ordinal);

  /** The dictionary of that entry: entries of different dictionaries are different values. */
  Object dictionary(int ordinal);
}
