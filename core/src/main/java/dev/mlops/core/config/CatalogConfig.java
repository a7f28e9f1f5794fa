package dev.mlops.core.config;

import java.util.Locale;

/**
 * How platform tables are registered by name.
 *
 * <ul>
 *   <li>{@code embedded} (default): the catalog is derived from the warehouse's own folders.
 *       Every session registers the Delta tables it finds under {@code <root>/<db>.db/}, so any
 *       number of processes can use it at once and nothing but the warehouse needs to persist.
 *   <li>{@code hive}: an external Hive metastore at {@code metastore-uri}
 *       ({@code thrift://host:9083}), as in production.
 * </ul>
 *
 * @param type {@code embedded} or {@code hive}
 * @param metastoreUri the Hive metastore's Thrift URI; required for {@code hive}
 */
public record CatalogConfig(String type, String metastoreUri) {
  public static final String EMBEDDED = "embedded";
  public static final String HIVE = "hive";

  public CatalogConfig {
    type = type == null ? EMBEDDED : type.strip().toLowerCase(Locale.ROOT);
    if (!type.equals(EMBEDDED) && !type.equals(HIVE)) {
      throw new ConfigValueException("type", "expected \"embedded\" or \"hive\", got \"" + type + "\"");
    }
    if (type.equals(HIVE) && (metastoreUri == null || metastoreUri.isBlank())) {
      throw new ConfigValueException(
          "metastore-uri", "is required when type is \"hive\" (for example thrift://metastore:9083)");
    }
  }

  /** The embedded, warehouse-derived catalog. */
  public static CatalogConfig defaults() {
    return new CatalogConfig(EMBEDDED, null);
  }

  /** Whether this is the embedded, warehouse-derived catalog. */
  public boolean embedded() {
    return type.equals(EMBEDDED);
  }
}
