package dev.mlops.core.tables;

/**
 * A table at one Delta version: what a job read or wrote, what a training set pins.
 *
 * @param table the table
 * @param version its Delta version
 */
public record TableVersion(TableName table, long version) {
  @Override
  public String toString() {
    return table + "@v" + version;
  }
}
