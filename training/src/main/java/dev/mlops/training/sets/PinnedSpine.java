package dev.mlops.training.sets;

import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.TableVersion;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.training.spec.ModelSpec.SpineSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A spine's SQL with every platform table it reads pinned at a Delta version, so that the same
 * rows come back later: {@code FROM raw.transactions t} becomes
 * {@code FROM raw.transactions VERSION AS OF 7 t}. The tables are those named
 * {@code database.table} right after {@code FROM} or {@code JOIN}; a table that already carries
 * {@code VERSION AS OF} or {@code TIMESTAMP AS OF} is left as written. A table named otherwise (in
 * a comma join, or without its database) is not pinned: {@code mlops models reproduce} then
 * reports the rows that changed.
 *
 * @param sql the pinned query
 * @param sources every table read, at its version
 */
public record PinnedSpine(String sql, List<TableVersion> sources) {
  private static final Pattern TABLE = Pattern.compile(
      "(?i)\\b(FROM|JOIN)(\\s++)(`?+)([A-Za-z_][A-Za-z0-9_]*+)\\3\\.(`?+)([A-Za-z_][A-Za-z0-9_]*+)\\5(?![A-Za-z0-9_`])"
          + "(?!\\s++(?:VERSION|TIMESTAMP)\\s++AS\\s++OF)");

  /**
   * Pins the spine of a spec.
   *
   * @param pins versions to read tables at; a table not named is read at its current version
   */
  public static PinnedSpine of(Warehouse warehouse, SpineSpec spine, Map<TableName, Long> pins) {
    String query = spine.query() != null ? spine.query().strip() : "SELECT * FROM " + spine.table();
    Map<TableName, Long> read = new LinkedHashMap<>();
    Matcher m = TABLE.matcher(query);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      TableName table = new TableName(m.group(4).toLowerCase(java.util.Locale.ROOT), m.group(6).toLowerCase(java.util.Locale.ROOT));
      if (!warehouse.exists(table)) {
        m.appendReplacement(out, Matcher.quoteReplacement(m.group()));
        continue; // a CTE or view; Spark names what is missing
      }
      long version = read.computeIfAbsent(table, t -> pins.containsKey(t) ? pins.get(t) : warehouse.current(t).version());
      m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + m.group(2) + table + " VERSION AS OF " + version));
    }
    m.appendTail(out);
    List<TableVersion> sources = new ArrayList<>();
    read.forEach((t, v) -> sources.add(new TableVersion(t, v)));
    return new PinnedSpine(out.toString(), sources);
  }
}
