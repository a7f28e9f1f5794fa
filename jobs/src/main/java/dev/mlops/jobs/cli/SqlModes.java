package dev.mlops.jobs.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The modes of {@code mlops sql} beyond one statement printed the classic way: a statement in
 * another {@code --format}, a file ({@code -f}), or the shell (no statement): on a terminal with
 * line editing and history, else reading statements from standard input. Stateless.
 */
final class SqlModes {
  /** Where the shell's history goes when neither {@code --history} nor this variable is given: {@code ~/.mlops_sql_history}. */
  static final String HISTORY_ENV = "MLOPS_SQL_HISTORY";

  private SqlModes() {}

  /** Whether {@code mlops sql} with these arguments needs a mode of this class. */
  static boolean applies(String sql, Path file, String format) {
    return sql == null || file != null || format != null;
  }

  /** Runs {@code mlops sql} in the mode its arguments ask for; returns the exit code. */
  static int run(SqlArgs args, CliContext ctx, InputStream in, PrintStream out, PrintStream err) {
    if (args.sql() != null && args.file() != null) {
      throw CliErrors.sqlAndFile();
    }
    SqlFormat format = args.format() != null ? SqlFormat.parse(args.format())
        : ctx.output().json() ? SqlFormat.JSON : SqlFormat.TABLE;
    List<SqlScript.Statement> script = args.file() == null ? null : SqlFile.statements(args.file());
    SqlSession session = new SqlSession(ctx.spark(), out, err, format, args.limit());
    if (args.sql() != null) {
      session.execute(args.sql());
      return 0;
    }
    if (script != null) {
      return SqlFile.run(args.file(), script, session);
    }
    return new SqlShell(input(in, args.history(), err), session, err).run();
  }

  private static ShellInput input(InputStream in, Path history, PrintStream err) {
    try {
      if (System.console() == null || in != System.in) {
        return ShellInput.stream(in, history != null ? history : historyFromEnv(null));
      }
      err.println("mlops sql: statements end with ;  \\? for help, \\q to quit");
      return ShellInput.terminal(ShellInput.systemTerminal(), history != null ? history : historyFromEnv(defaultHistory()));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot open the terminal for the mlops sql shell", e);
    }
  }

  private static Path historyFromEnv(Path fallback) {
    String env = System.getenv(HISTORY_ENV);
    return env == null || env.isBlank() ? fallback : Path.of(env);
  }

  private static Path defaultHistory() {
    return Path.of(System.getProperty("user.home"), ".mlops_sql_history");
  }

  /** The arguments of {@code mlops sql}. */
  record SqlArgs(String sql, Path file, String format, Path history, int limit) {}
}
