package dev.mlops.core.tables;

import java.util.Locale;

/**
 * The name of a platform table, {@code database.table}, both parts lower-case identifiers
 * ({@code [a-z_][a-z0-9_]*}).
 *
 * @param database the database, for example {@code features}
 * @param table the table inside it
 */
public record TableName(String database, String table) {
  private static final String IDENT = "[a-z_][a-z0-9_]*";

  public TableName {
    database = database.toLowerCase(Locale.ROOT);
    table = table.toLowerCase(Locale.ROOT);
    if (!database.matches(IDENT) || !table.matches(IDENT)) {
      throw new IllegalArgumentException(
          "Cannot use table name \"" + database + "." + table + "\": both parts must be identifiers"
              + " (letters, digits and '_', not starting with a digit)");
    }
  }

  /** Parses {@code "database.table"}. */
  public static TableName parse(String qualified) {
    int dot = qualified.indexOf('.');
    if (dot <= 0 || dot != qualified.lastIndexOf('.') || dot == qualified.length() - 1) {
      throw new IllegalArgumentException(
          "Cannot use table name \"" + qualified + "\": expected database.table, for example features.customer_stats");
    }
    return new TableName(qualified.substring(0, dot), qualified.substring(dot + 1));
  }

  /** {@code database.table}. */
  @Override
  public String toString() {
    return database + "." + table;
  }
}
