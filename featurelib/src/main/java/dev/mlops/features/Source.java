package dev.mlops.features;

/**
 * Where a feature view's input rows come from, and which columns carry their times.
 *
 * @param name the source's name; SQL views refer to it as a table name
 * @param location the table, path or query
 * @param eventTime the column with each row's event time (timestamp)
 * @param createdTime the column with the time each row was created or corrected, or null
 * @param partitionColumn a date column derived from the event time, used to prune reads, or null
 * @param description what it holds
 */
public record Source(
    String name, SourceLocation location, String eventTime, String createdTime, String partitionColumn,
    String description) {
  public Source {
    description = description == null ? "" : description;
  }
}
