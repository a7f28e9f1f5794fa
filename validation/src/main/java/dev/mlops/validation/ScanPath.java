package dev.mlops.validation;

/** How the shared pass read the data: which of its paths ran. */
public enum ScanPath {
  /** The column batches of a plain file scan, read in place (Spark internals). */
  COLUMN_BATCHES,
  /** Spark's own rows of the projection (Spark internals). */
  INTERNAL_ROWS,
  /** Public {@code Row}s of the projection: the path when Spark's internals are off or not there. */
  PUBLIC_ROWS
}
