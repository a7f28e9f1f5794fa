package dev.mlops.features.pit;

import dev.mlops.core.tables.TableVersion;

/**
 * A feature view version read at one Delta version of its table.
 *
 * @param view the view
 * @param viewVersion its version
 * @param table the table at the Delta version read
 */
public record ViewPin(String view, int viewVersion, TableVersion table) {
  @Override
  public String toString() {
    return view + " v" + viewVersion + " @ " + table;
  }
}
