package dev.mlops.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.testkit.TestPlatform;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code mlops sql} shell and {@code -f}, in-process on a tiny table. */
class SqlShellTest {
  @TempDir static Path dir;
  static TestPlatform platform;

  @BeforeAll
  static void createATinyTable() {
    platform = TestPlatform.create(dir);
    platform.spark().sql("CREATE DATABASE IF NOT EXISTS shop");
    platform.spark().sql("CREATE TABLE shop.items USING delta AS SELECT * FROM VALUES (1, 'pen'), (2, 'ink, blue')"
        + " AS t(id, name)");
  }

  /** A run of the shell on {@code input}: its exit code, stdout and stderr. */
  record Run(int code, String out, String err) {}

  static Run shell(String input, SqlFormat format, Path history) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    SqlSession session = new SqlSession(platform.spark(), o, e, format, 1000);
    ShellInput in = ShellInput.stream(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), history);
    int code = new SqlShell(in, session, e).run();
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void pipedStatementsSpanLinesAndRunInOneSessionWithoutATerminal() throws Exception {
    Run run = shell("SELECT id,\n  name\nFROM shop.items\nORDER BY id;\nSELECT count(*) AS n FROM shop.items; SELECT 'a;b' AS s;\n",
        SqlFormat.TABLE, null);
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).as("no prompt without a terminal; a table per statement")
        .doesNotContain(SqlShell.PROMPT).contains("| 1  | pen       |", "| ink, blue |", "| n |", "| 2 |", "| a;b |")
        .contains("2 rows", "1 row");
  }

  @Test
  void aFailedStatementIsReportedAndTheShellGoesOnThenExitsOne() throws Exception {
    Run run = shell("SELECT nope FROM shop.items;\nSELECT 7 AS seven;\nSELECT 8", SqlFormat.CSV, null);
    assertThat(run.code()).as("a statement failed").isEqualTo(1);
    assertThat(run.err()).contains("error: [UNRESOLVED_COLUMN.WITH_SUGGESTION]").contains("`nope`")
        .contains("warning: the input ended inside a statement not ended by ';'; it was not run: SELECT 8");
    assertThat(run.out()).as("the next statement ran").isEqualTo("seven\n7\n");
  }

  @Test
  void backslashCommandsDescribeListTimeFormatAndQuit() throws Exception {
    Run run = shell("\\dt shop\n\\d shop.items\n\\timing\n\\format json\nSELECT name FROM shop.items WHERE id = 2;\n"
        + "\\format csv\nSELECT name FROM shop.items WHERE id = 2;\n\\format\n\\timing\n\\?\n\\x\n\\q\nSELECT 'after quit';\n",
        SqlFormat.TABLE, null);
    assertThat(run.out()).as("\\dt lists the database's tables").contains("| shop      | items     | false       |");
    assertThat(run.out()).as("\\d describes the table").contains("| id       | int       |", "| name     | string    |");
    assertThat(run.out()).as("\\format json, then csv")
        .contains("{\"columns\":[\"name\"],\"rows\":[{\"name\":\"ink, blue\"}],\"truncated\":false}\n")
        .contains("name\n\"ink, blue\"\n").doesNotContain("after quit");
    assertThat(run.err()).contains("Timing is on.", "Time: ", "Format is csv.", "Timing is off.", "\\dt [DB]")
        .contains("error: Unknown command \\x; \\? lists the commands");
    assertThat(run.err().lines().filter(l -> l.startsWith("Time: "))).as("timed while on: two statements").hasSize(2);
    assertThat(run.code()).as("the unknown command counts as a failure").isEqualTo(1);
  }

  @Test
  void theHistoryFileKeepsEveryStatementAndCommandAcrossSessions() throws Exception {
    Path history = dir.resolve("history/sql_history");
    Files.createDirectories(history.getParent());
    shell("SELECT 1\n  AS one;\n\\timing\n", SqlFormat.TABLE, history);
    shell("SELECT 2 AS two;\n", SqlFormat.TABLE, history);
    List<String> lines = Files.readAllLines(history);
    assertThat(lines).as("a multi-line statement is one entry, its newline escaped")
        .containsExactly("SELECT 1\\n  AS one;", "\\\\timing", "SELECT 2 AS two;");
  }

  @Test
  void onATerminalJLineEditsAStatementOverLinesAndRecallsHistory() throws Exception {
    Path history = dir.resolve("terminal_history");
    Files.writeString(history, "SELECT 41 + 1 AS answer;\n");
    ByteArrayOutputStream screen = new ByteArrayOutputStream();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    // Ctrl-P (previous history, as the up arrow) recalls the statement of the history file; Enter runs it; then a statement over two lines.
    byte[] keys = "\u0010\rSELECT 'x'\r AS y;\r\\q\r".getBytes(StandardCharsets.UTF_8);
    // A pipe kept open, as a keyboard is: the end of a byte array would close the terminal before JLine reads it.
    java.io.PipedOutputStream keyboard = new java.io.PipedOutputStream();
    java.io.PipedInputStream typed = new java.io.PipedInputStream(keyboard, 4096);
    Terminal terminal = TerminalBuilder.builder().system(false).type("xterm").streams(typed, screen)
        .size(new org.jline.terminal.Size(120, 40)).build();
    // The keys go in once the terminal is raw, as the shell's reader makes it: typed earlier, the terminal's
    // input thread may take them in cooked mode (echoed, Enter turned to a newline) before the reader starts.
    terminal.enterRawMode();
    keyboard.write(keys);
    keyboard.flush();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    int code = new SqlShell(ShellInput.terminal(terminal, history), new SqlSession(platform.spark(), o, o, SqlFormat.CSV, 10),
        o).run();
    keyboard.close();
    assertThat(code).as(out.toString(StandardCharsets.UTF_8) + screen.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).as(screen.toString(StandardCharsets.UTF_8)).isEqualTo("answer\n42\ny\nx\n");
    assertThat(screen.toString(StandardCharsets.UTF_8)).as("the prompts").contains(SqlShell.PROMPT, SqlShell.CONTINUATION);
    assertThat(Files.readAllLines(history)).as("the new entries appended").contains("SELECT 'x'\\n AS y;", "\\\\q");
  }

  @Test
  void aFileRunsStatementByStatementAndStopsAtTheFirstFailureNamingIt() throws Exception {
    Path file = dir.resolve("q.sql");
    Files.writeString(file, "-- counts\nSELECT count(*) AS n FROM shop.items;\n\nSELECT missing\nFROM shop.items;\nSELECT 3;\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    SqlSession session = new SqlSession(platform.spark(), o, o, SqlFormat.JSON, 10);
    List<SqlScript.Statement> statements = SqlFile.statements(file);
    assertThatThrownBy(() -> SqlFile.run(file, statements, session))
        .hasMessageStartingWith(file + ":4: statement 2 (SELECT missing) failed: [UNRESOLVED_COLUMN");
    assertThat(out.toString(StandardCharsets.UTF_8)).as("one JSON document per statement run")
        .isEqualTo("{\"columns\":[\"n\"],\"rows\":[{\"n\":2}],\"truncated\":false}\n");
    Path empty = Files.writeString(dir.resolve("empty.sql"), "-- nothing\n");
    assertThatThrownBy(() -> SqlFile.statements(empty)).hasMessage("mlops sql -f " + empty + ": the file holds no SQL statement");
    assertThatThrownBy(() -> SqlFormat.parse("xml")).hasMessage("Unknown format xml: expected table, csv or json");
  }
}
