package dev.mlops.features;

import dev.mlops.core.tables.TableName;

/** A source's data: a catalog table, files at a path, or a Spark SQL query over catalog tables. */
public sealed interface SourceLocation {

  /** A table in the catalog, read at its current (or pinned) version. */
  record Table(TableName table) implements SourceLocation {}

  /**
   * Files at a path.
   *
   * @param path the folder or file
   * @param format {@code delta}, {@code parquet} or {@code csv} (with a header row)
   */
  record Path(String path, String format) implements SourceLocation {}

  /** The rows of a Spark SQL query over catalog tables. */
  record Query(String sql) implements SourceLocation {}
}
