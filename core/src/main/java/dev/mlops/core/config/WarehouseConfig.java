package dev.mlops.core.config;

import static dev.mlops.core.config.ConfigValueException.require;

import java.net.URI;
import java.nio.file.Path;

/**
 * Where the platform keeps its tables: a local folder or an {@code s3a://bucket/prefix} URI. Each
 * database is a folder {@code <root>/<database>.db}, each table a Delta table inside it.
 *
 * @param root the warehouse root. A relative local path is resolved against the folder of the
 *     config file that names it.
 */
public record WarehouseConfig(String root) {

  public WarehouseConfig {
    require("root", root);
    root = root.strip();
    while (root.length() > 1 && root.endsWith("/") && !root.endsWith("://")) {
      root = root.substring(0, root.length() - 1);
    }
  }

  /** Whether the root is a URI with a scheme ({@code s3a://}, {@code file:/}, {@code hdfs://}). */
  public boolean hasScheme() {
    return root.matches("[a-zA-Z][a-zA-Z0-9+.-]*:.*") && !root.matches("[a-zA-Z]:\\\\.*");
  }

  /**
   * A copy whose root is absolute: a relative local path is resolved against {@code baseDir};
   * URIs with a scheme are kept as they are.
   */
  public WarehouseConfig resolvedAgainst(Path baseDir) {
    if (hasScheme()) {
      return this;
    }
    Path path = Path.of(root);
    Path absolute = (path.isAbsolute() ? path : baseDir.resolve(path)).toAbsolutePath().normalize();
    return new WarehouseConfig(absolute.toString());
  }

  /** The root as a URI Hadoop understands ({@code file:/...} for local folders). */
  public String uri() {
    if (hasScheme()) {
      return root;
    }
    URI uri = Path.of(root).toAbsolutePath().normalize().toUri();
    String s = uri.toString();
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  /** The folder of {@code database}. */
  public String databaseUri(String database) {
    return uri() + "/" + database + ".db";
  }

  /** The folder of table {@code database.table}. */
  public String tableUri(String database, String table) {
    return databaseUri(database) + "/" + table;
  }

  /** The folder for generated reports (validation, drift, model cards). */
  public String reportsUri() {
    return uri() + "/reports";
  }
}
