package dev.mlops.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The {@code %%sql} cells of the analyst notebooks in {@code notebooks/}, read from their
 * {@code .ipynb} JSON after checking its nbformat 4 structure, and written as one SQL file for
 * {@code mlops sql -f}: one statement per cell, in order, so that a statement's number names its cell.
 */
final class NotebookCells {
  private static final Pattern FAILED_STATEMENT = Pattern.compile(": statement (\\d+) \\(");

  /**
   * A SQL cell.
   *
   * @param notebook the notebook's file name
   * @param index the cell's index among all the notebook's cells
   * @param sql its SQL, without the {@code %%sql} line
   */
  record Cell(String notebook, int index, String sql) {
    /** The notebook, cell and first line, for messages. */
    String describe() {
      return "notebooks/" + notebook + " cell " + index + " (" + sql.lines().findFirst().orElse("") + ")";
    }
  }

  private NotebookCells() {}

  /** Every SQL cell of every notebook in {@code folder}, the notebooks' structure checked. */
  static List<Cell> read(Path folder) throws IOException {
    List<Path> notebooks;
    try (Stream<Path> files = Files.list(folder)) {
      notebooks = files.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
    }
    assertThat(notebooks).as("notebooks in " + folder).isNotEmpty();
    List<Cell> cells = new ArrayList<>();
    for (Path file : notebooks) {
      cells.addAll(cellsOf(file));
    }
    return cells;
  }

  private static List<Cell> cellsOf(Path file) throws IOException {
    String name = file.getFileName().toString();
    JsonNode nb = dev.mlops.core.tables.Json.mapper().readTree(file.toFile());
    assertThat(nb.path("nbformat").asInt()).as(name + ": nbformat").isEqualTo(4);
    assertThat(nb.path("metadata").isObject()).as(name + ": metadata").isTrue();
    List<Cell> cells = new ArrayList<>();
    JsonNode all = nb.path("cells");
    assertThat(all.isArray() && all.size() > 0).as(name + ": cells").isTrue();
    for (int i = 0; i < all.size(); i++) {
      JsonNode c = all.get(i);
      String where = name + " cell " + i;
      assertThat(c.path("cell_type").asText()).as(where + ": cell_type").isIn("markdown", "code", "raw");
      assertThat(c.path("metadata").isObject()).as(where + ": metadata").isTrue();
      assertThat(c.path("source").isArray() || c.path("source").isTextual()).as(where + ": source").isTrue();
      String source = c.path("source").isArray() ? join(c.path("source")) : c.path("source").asText();
      if (c.path("cell_type").asText().equals("code")) {
        assertThat(c.path("outputs").isArray()).as(where + ": outputs").isTrue();
        assertThat(c.has("execution_count")).as(where + ": execution_count").isTrue();
        if (source.startsWith("%%sql")) {
          String sql = source.substring(source.indexOf('\n') + 1).strip().replaceAll(";$", "");
          assertThat(sql).as(where + ": one statement per %%sql cell").doesNotContain(";\n");
          cells.add(new Cell(name, i, sql));
        }
      }
    }
    assertThat(join(all.get(0).path("source")) + join(all.get(1).path("source"))).as(name + ": how to connect, first")
        .contains("mlops sql");
    return cells;
  }

  private static String join(JsonNode lines) {
    StringBuilder sb = new StringBuilder();
    lines.forEach(l -> sb.append(l.asText()));
    return sb.toString();
  }

  /** The cells as one SQL file, one statement per cell, then {@code extra} statements. */
  static String script(List<Cell> cells, List<String> extra) {
    StringBuilder sb = new StringBuilder();
    for (Cell c : cells) {
      sb.append(c.sql()).append(";\n\n");
    }
    extra.forEach(s -> sb.append(s).append(";\n"));
    return sb.toString();
  }

  /** The cell of the statement {@code mlops sql -f} names in {@code stderr} as failed, or null. */
  static Cell failed(List<Cell> cells, String stderr) {
    Matcher m = FAILED_STATEMENT.matcher(stderr);
    if (!m.find()) {
      return null;
    }
    int n = Integer.parseInt(m.group(1));
    return n <= cells.size() ? cells.get(n - 1) : null;
  }
}
