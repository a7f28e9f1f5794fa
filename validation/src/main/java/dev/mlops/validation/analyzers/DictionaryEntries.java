package dev.mlops.validation.analyzers;

/**
 * A row whose values may be read from a Parquet dictionary, one entry per distinct value of a
 * column chunk: a state whose update is idempotent (a distinct count's sketch) adds each entry
 * once per dictionary instead of once per row, with the same result.
 */
public interface DictionaryEntries {
  /** The entry the value at {@code ordinal} is in its dictionary, or -1 when it is not read from one. */
  int entry(int ordinal);

  /** The dictionary of that entry: entries of different dictionaries are different values. */
  Object dictionary(int ordinal);
}
