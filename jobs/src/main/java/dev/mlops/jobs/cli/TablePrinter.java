package dev.mlops.jobs.cli;

import java.util.List;
import org.apache.spark.sql.Row;

/** Renders rows as a plain-text table, long cells cut at 60 characters. */
final class TablePrinter {
  private static final int MAX_WIDTH = 60;

  private TablePrinter() {}

  static String render(String[] columns, List<Row> rows) {
    int n = columns.length;
    String[][] cells = new String[rows.size()][n];
    int[] width = new int[n];
    for (int c = 0; c < n; c++) {
      width[c] = columns[c].length();
    }
    for (int r = 0; r < rows.size(); r++) {
      for (int c = 0; c < n; c++) {
        String s = Values.text(rows.get(r).get(c)).replace('\n', ' ');
        if (s.length() > MAX_WIDTH) {
          s = s.substring(0, MAX_WIDTH - 3) + "...";
        }
        cells[r][c] = s;
        width[c] = Math.max(width[c], s.length());
      }
    }
    StringBuilder sb = new StringBuilder();
    line(sb, width);
    row(sb, columns, width);
    line(sb, width);
    for (String[] r : cells) {
      row(sb, r, width);
    }
    line(sb, width);
    sb.setLength(sb.length() - 1);
    return sb.toString();
  }

  private static void line(StringBuilder sb, int[] width) {
    sb.append('+');
    for (int w : width) {
      sb.append("-".repeat(w + 2)).append('+');
    }
    sb.append('\n');
  }

  private static void row(StringBuilder sb, String[] cells, int[] width) {
    sb.append('|');
    for (int c = 0; c < cells.length; c++) {
      sb.append(' ').append(cells[c]).append(" ".repeat(width[c] - cells[c].length())).append(" |");
    }
    sb.append('\n');
  }
}
