package dev.mlops.jobs.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code mlops sql -f FILE}: the statements of a file (split on {@code ;} outside quotes and
 * comments) run in order in one session; the first that fails stops the run, named by its file,
 * line, number and first line. Stateless.
 */
final class SqlFile {
  private SqlFile() {}

  /** The statements of {@code file}; a file that cannot be read, or holds none, is refused. */
  static List<SqlScript.Statement> statements(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw CliErrors.sqlFileUnreadable(file, e);
    }
    List<SqlScript.Statement> statements = SqlScript.statements(text);
    if (statements.isEmpty()) {
      throw CliErrors.sqlFileEmpty(file);
    }
    return statements;
  }

  /** Runs {@code statements} of {@code file} in {@code session}; returns 0, or throws naming the failed one. */
  static int run(Path file, List<SqlScript.Statement> statements, SqlSession session) {
    for (int i = 0; i < statements.size(); i++) {
      SqlScript.Statement s = statements.get(i);
      try {
        session.execute(s.sql());
      } catch (Exception e) { // Spark's AnalysisException is a checked exception thrown undeclared
        throw CliErrors.sqlStatementFailed(file, i + 1, s, e);
      }
    }
    return 0;
  }
}
