package dev.mlops.core.tables;

/**
 * How values become cells of the platform's tables, the same way in every module.
 *
 * <p>Stateless and thread-safe.
 */
public final class TableValues {
  private TableValues() {}

  /** {@code d} as a cell or a JSON value: null when it is NaN or infinite, which readers take as "no value". */
  public static Double finiteOrNull(double d) {
    return Double.isFinite(d) ? d : null;
  }
}
