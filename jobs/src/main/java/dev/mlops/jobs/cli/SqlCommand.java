package dev.mlops.jobs.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code mlops sql "<query>"}: runs Spark SQL on the platform's catalog and prints the result. */
@Command(name = "sql",
    description = {"Run a Spark SQL statement against the platform's tables (time travel included: VERSION AS OF n).",
        "Without a statement: an interactive shell (statements from standard input when it is not a terminal)."})
public final class SqlCommand implements Callable<Integer> {
  @ParentCommand MlopsCommand parent;

  @Parameters(index = "0", arity = "0..1", paramLabel = "SQL",
      description = "The statement, for example \"SELECT count(*) FROM raw.transactions\"; none opens the shell.")
  String sql;

  @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Run the statements of this file (split on ;).")
  java.nio.file.Path file;

  @Option(names = "--format", paramLabel = "table|csv|json", description = "How results are printed (default: table;"
      + " json with --json).")
  String format;

  @Option(names = "--history", paramLabel = "FILE", description = "The shell's history file (default: $"
      + SqlModes.HISTORY_ENV + ", else ~/.mlops_sql_history on a terminal; none for piped input).")
  java.nio.file.Path history;

  @Option(names = "--limit", defaultValue = "1000", description = "Print at most this many rows (default: ${DEFAULT-VALUE}).")
  int limit;

  @Override
  public Integer call() {
    CliContext ctx = new CliContext(parent.global, parent.output());
    if (SqlModes.applies(sql, file, format)) {
      return SqlModes.run(new SqlModes.SqlArgs(sql, file, format, history, limit), ctx, System.in, ctx.output().out(),
          ctx.output().err());
    }
    // One statement as the shell and -f print it: a table, or with --json one document.
    Output out = ctx.output();
    new SqlSession(ctx.spark(), out.out(), out.err(), out.json() ? SqlFormat.JSON : SqlFormat.TABLE, limit).execute(sql);
    return 0;
  }
}
