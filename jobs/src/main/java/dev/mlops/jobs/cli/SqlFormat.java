package dev.mlops.jobs.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;

/**
 * How {@code mlops sql} prints a result: a text table with the row count, CSV (RFC 4180, a header
 * line, nulls empty) or one JSON document per statement ({@code {"columns", "rows", "truncated"}}
 * on one line; a column name that repeats is made unique in it as pandas does, {@code n}, {@code n.1},
 * so that no value is lost from a row's object). Thread-safe.
 */
enum SqlFormat {
  TABLE {
    @Override
    void print(PrintStream out, SqlResult result) {
      if (result.columns().length == 0) {
        out.println("OK");
        return;
      }
      int n = result.rows().size();
      out.println(TablePrinter.render(result.columns(), result.rows()));
      out.println(n + (n == 1 ? " row" : " rows") + (result.truncated() ? " (more not shown; see --limit)" : ""));
    }
  },
  CSV {
    @Override
    void print(PrintStream out, SqlResult result) {
      if (result.columns().length == 0) {
        return;
      }
      out.println(csvLine(List.of(result.columns())));
      for (Row row : result.rows()) {
        List<String> cells = new ArrayList<>();
        for (int i = 0; i < row.size(); i++) {
          cells.add(row.isNullAt(i) ? "" : Values.text(row.get(i)));
        }
        out.println(csvLine(cells));
      }
    }
  },
  JSON {
    @Override
    void print(PrintStream out, SqlResult result) {
      List<Map<String, Object>> rows = new ArrayList<>();
      String[] columns = uniqueNames(result.columns());
      for (Row r : result.rows()) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < columns.length; i++) {
          m.put(columns[i], Values.toJson(r.get(i)));
        }
        rows.add(m);
      }
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("columns", List.of(columns));
      doc.put("rows", rows);
      doc.put("truncated", result.truncated());
      out.println(dev.mlops.core.tables.Json.write(doc));
    }
  };

  /** Prints {@code result} to {@code out}. */
  abstract void print(PrintStream out, SqlResult result);

  /** The format named {@code name} ({@code table}, {@code csv}, {@code json}, any case). */
  static SqlFormat parse(String name) {
    try {
      return valueOf(name.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw CliErrors.unknownSqlFormat(name);
    }
  }

  /** {@code names}, each repeat of a name suffixed {@code .1}, {@code .2}... skipping the names already used. */
  static String[] uniqueNames(String[] names) {
    Set<String> given = new HashSet<>(List.of(names));
    Set<String> used = new HashSet<>();
    String[] unique = new String[names.length];
    for (int i = 0; i < names.length; i++) {
      String name = names[i];
      for (int k = 1; used.contains(name); k++) {
        String candidate = names[i] + "." + k;
        name = given.contains(candidate) ? name : candidate;
      }
      used.add(name);
      unique[i] = name;
    }
    return unique;
  }

  static String csvLine(List<String> cells) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String cell = cells.get(i);
      boolean quote = cell.indexOf(',') >= 0 || cell.indexOf('"') >= 0 || cell.indexOf('\n') >= 0 || cell.indexOf('\r') >= 0;
      sb.append(i == 0 ? "" : ",").append(quote ? '"' + cell.replace("\"", "\"\"") + '"' : cell);
    }
    return sb.toString();
  }

  /** The rows a statement returned (at most the limit), its columns, and whether more were left out. */
  record SqlResult(String[] columns, List<Row> rows, boolean truncated) {}
}
