package dev.mlops.core.spark;

import static org.apache.spark.sql.functions.col;

import java.util.Collection;
import java.util.List;
import org.apache.spark.sql.Column;

/**
 * Column and table names written into Spark SQL text or column references: quoted with
 * backticks, a backtick inside the name doubled, so that any name (a dot, a space, a backtick,
 * a keyword) means itself. The one way the platform quotes identifiers.
 *
 * <p>Stateless and thread-safe.
 */
public final class Identifiers {
  private Identifiers() {}

  /** {@code name} as a quoted identifier: {@code a`b} becomes {@code `a``b`}. */
  public static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  /** {@code name} of relation {@code alias} as a quoted, qualified identifier: {@code t.`a``b`}. */
  public static String quote(String alias, String name) {
    return alias + "." + quote(name);
  }

  /** The names, each quoted, joined with {@code ", "}: a SQL select or partition list. */
  public static String quoteAll(Collection<String> names) {
    return String.join(", ", names.stream().map(Identifiers::quote).toList());
  }

  /** The column named {@code name}, read as one name (never as a nested field or an expression). */
  public static Column column(String name) {
    return col(quote(name));
  }

  /** The columns named {@code names}, in order. */
  public static Column[] columns(Collection<String> names) {
    return names.stream().map(Identifiers::column).toArray(Column[]::new);
  }

  /** The columns named {@code names}, in order, as a list. */
  public static List<Column> columnList(Collection<String> names) {
    return names.stream().map(Identifiers::column).toList();
  }
}
