package dev.mlops.validation.analyzers;

/**
 * The projected values of a batch of rows, read a whole value column at a time: the shared pass
 * over column batches gives the states these, so that a state adds a batch in one tight loop
 * instead of being called once per row. Every read gives what the rows would give, in row order.
 */
public interface ValueBatch {
  /** The number of rows. */
  int rows();

  /** The values of row {@code row}, as a projected row; good until the next call. */
  ValueRow row(int row);

  /** The number of rows whose boolean value at {@code ordinal} is true, as {@link ValueRow#getBoolean} reads it. */
  long trueCount(int ordinal);

  /**
   * The values at {@code ordinal} that are not null, of a floating point type, as doubles in row
   * order into {@code into} (at least {@link #rows()} long); returns how many.
   */
  int doubles(int ordinal, double[] into);

  /**
   * The values at {@code ordinal} that are not null, of an integral, date or time type, as longs
   * in row order into {@code into} (at least {@link #rows()} long); returns how many.
   */
  int longs(int ordinal, long[] into);

  /**
   * When the values at {@code ordinal} are read from a dictionary, one entry per distinct value of
   * a column chunk: each row's entry into {@code into} (at least {@link #rows()} long; a number
   * from 0, the same for the same value of the same dictionary), and true. False, writing
   * nothing, when they are not.
   */
  boolean entries(int ordinal, int[] into);

  /** The dictionary of the entries {@link #entries} gives: entries of different dictionaries are different values. */
  Object dictionary(int ordinal);

  /** {@code room} when it holds {@code rows} values, else a new array that does: a state's room for a batch's values. */
  static double[] room(double[] room, int rows) {
    return room != null && room.length >= rows ? room : new double[rows];
  }

  /** {@code room} when it holds {@code rows} values, else a new array that does. */
  static long[] room(long[] room, int rows) {
    return room != null && room.length >= rows ? room : new long[rows];
  }

  /** {@code room} when it holds {@code rows} entries, else a new array that does. */
  static int[] room(int[] room, int rows) {
    return room != null && room.length >= rows ? room : new int[rows];
  }
}
