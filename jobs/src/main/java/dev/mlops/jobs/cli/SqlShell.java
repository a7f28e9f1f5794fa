package dev.mlops.jobs.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;

/**
 * The interactive {@code mlops sql} shell: reads statements that end with {@code ;} (over as many
 * lines as they take) and backslash commands ({@code \d TABLE}, {@code \dt [DB]}, {@code \timing},
 * {@code \format table|csv|json}, {@code \q}, {@code \?}) from a {@link ShellInput} (a terminal
 * with line editing and history, or any stream, without a terminal) and runs them in one
 * {@link SqlSession}. A failed statement prints its error and the shell goes on. Not thread-safe.
 */
final class SqlShell {
  static final String PROMPT = "mlops> ";
  static final String CONTINUATION = "   ...> ";
  static final String HELP = String.join("\n",
      "Statements end with ; and may span lines. Commands:",
      "  \\d TABLE                  describe a table (or view)",
      "  \\dt [DB]                  list the tables of a database (default: the current one)",
      "  \\timing                   print the time of each statement (toggle)",
      "  \\format table|csv|json    how results are printed",
      "  \\q                        quit (as does end of input)",
      "  \\?                        this help");

  private final ShellInput input;
  private final SqlSession session;
  private final PrintStream err;
  private int failures;

  SqlShell(ShellInput input, SqlSession session, PrintStream err) {
    this.input = input;
    this.session = session;
    this.err = err;
  }

  /** Reads and runs until {@code \q} or the end of the input; returns 1 if a statement failed, else 0. */
  int run() {
    StringBuilder pending = new StringBuilder();
    try (input) {
      String line;
      while ((line = input.read(SqlScript.isBlank(pending.toString()) ? PROMPT : CONTINUATION)) != null) {
        if (SqlScript.isBlank(pending.toString()) && line.strip().startsWith("\\")) {
          pending.setLength(0);
          input.remember(line.strip());
          if (!command(line.strip())) {
            break;
          }
          continue;
        }
        pending.append(line).append('\n');
        SqlScript.Split split = SqlScript.split(pending.toString());
        for (SqlScript.Statement s : split.statements()) {
          input.remember(s.sql() + ";");
          execute(s.sql());
        }
        pending.setLength(0);
        pending.append(split.rest());
      }
      if (!SqlScript.isBlank(pending.toString())) {
        err.println("warning: the input ended inside a statement not ended by ';'; it was not run: "
            + SqlScript.statements(pending.toString()).get(0).firstLine());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the shell's input", e);
    }
    return failures == 0 ? 0 : 1;
  }

  private void execute(String sql) {
    try {
      session.execute(sql);
    } catch (Exception e) { // Spark's AnalysisException is a checked exception thrown undeclared
      failures++;
      err.println("error: " + MlopsCommand.describe(e));
    }
  }

  /** Runs a backslash command; false to quit. */
  private boolean command(String line) {
    String[] words = line.split("\\s+");
    String arg = words.length > 1 ? words[1].replaceAll(";$", "") : null;
    switch (words[0]) {
      case "\\q", "\\quit" -> {
        return false;
      }
      case "\\d" -> execute(arg == null ? "SHOW TABLES" : "DESCRIBE TABLE " + arg);
      case "\\dt" -> execute(arg == null ? "SHOW TABLES" : "SHOW TABLES IN " + arg);
      case "\\timing" -> err.println("Timing is " + (session.toggleTiming() ? "on." : "off."));
      case "\\format" -> format(arg);
      case "\\?", "\\h", "\\help" -> err.println(HELP);
      default -> {
        failures++;
        err.println("error: " + CliErrors.unknownShellCommand(words[0]).getMessage());
      }
    }
    return true;
  }

  private void format(String name) {
    if (name == null) {
      err.println("Format is " + session.format().name().toLowerCase(java.util.Locale.ROOT) + ".");
      return;
    }
    try {
      session.format(SqlFormat.parse(name));
    } catch (RuntimeException e) {
      failures++;
      err.println("error: " + e.getMessage());
    }
  }
}
