package dev.mlops.jobs.cli;

import dev.mlops.core.PlatformException;
import java.nio.file.Path;

/**
 * The user-facing errors of the {@code mlops} commands themselves (arguments that cannot be used,
 * a demo step that fails): each message says what is wrong, why, and how to fix it. Every method
 * returns the exception for the caller to throw ({@code throw CliErrors.suiteNotFound(...)}). The
 * libraries' own errors come from their modules' factories; picocli reports malformed command
 * lines itself (exit code 2).
 *
 * <p>Stateless and thread-safe.
 */
final class CliErrors {
  private CliErrors() {}

  /** Thrown when {@code mlops score} is given neither a day nor a range, or both. */
  public static PlatformException scoreDaysUnclear() {
    return new PlatformException("mlops score: give --date D, or --start D1 --end D2");
  }

  /** Thrown when {@code mlops models alias} is given both or neither of a version and --delete. */
  public static PlatformException aliasActionUnclear(String alias) {
    return new PlatformException("models alias: give a VERSION to set " + alias + ", or --delete to remove it");
  }

  /** Thrown when {@code --suite} is neither a file nor the name of a suite in the suites folder. */
  public static PlatformException suiteNotFound(String suite, Path folder) {
    return new PlatformException("--suite " + suite + ": no such file, and no " + suite + ".yaml in " + folder
        + "; pass the path of a suite file, or the name of one in that folder");
  }

  /** Thrown when a {@code --key} argument is not {@code COLUMN=VALUE}. */
  public static PlatformException badKeyArgument(String key) {
    return new PlatformException("--key " + key + ": expected COLUMN=VALUE, for example --key customer_id=42");
  }

  /** Thrown when {@code --training-set} is not {@code DATABASE.TABLE} or {@code DATABASE.TABLE@VERSION}. */
  public static PlatformException badTrainingSet(String text) {
    return new PlatformException("--training-set " + text + ": expected DATABASE.TABLE or DATABASE.TABLE@VERSION, for"
        + " example ml.training_fraud@3 (the table and version `mlops training-set` prints)");
  }

  /** Thrown when {@code --retain} is not a duration. */
  public static PlatformException badRetainArgument(String retain) {
    return new PlatformException("--retain " + retain + ": expected a duration such as 168h or 30d");
  }

  /** Thrown when a spine argument is neither a table name, a CSV or Delta location, nor an existing path. */
  public static PlatformException spineNotFound(String spine) {
    return new PlatformException("Spine " + spine + " is neither a table (database.table) nor an existing path; pass a"
        + " table name, or the path of a Parquet, CSV or Delta spine");
  }

  /** Thrown when a backfill finds no source rows to materialize. */
  public static PlatformException nothingToBackfill(String view) {
    return new PlatformException("Cannot materialize " + view + ": its source has no rows; nothing to backfill; load"
        + " rows into its source first");
  }

  /** A command that needs a day or a range got neither, or both. */
  public static PlatformException dayOrRange(String command) {
    return new PlatformException("mlops " + command + ": give --date D, or --start D1 --end D2");
  }

  /** {@code monitor performance} given no days to measure, or more than one choice of them. */
  public static PlatformException daysToMonitor() {
    return new PlatformException("mlops monitor performance: give --date D, or --start D1 --end D2, or --matured");
  }

  /** One end of a reference range given without the other. */
  public static PlatformException referenceRange() {
    return new PlatformException("mlops drift: give both --reference-start D1 and --reference-end D2, the first and last"
        + " reference days");
  }

  /** A {@code --reference} whose version is not a number. */
  public static PlatformException badReference(String text) {
    return new PlatformException("mlops drift --reference " + text + ": expected DB.TABLE or DB.TABLE@VERSION with a"
        + " numeric Delta version, as ml.training_fraud@12");
  }

  /** Two references given at once. */
  public static PlatformException twoReferences() {
    return new PlatformException("mlops drift: give --reference TABLE or --reference-start/--reference-end, not both");
  }

  /** {@code mlops drift --version} without {@code --model}. */
  public static PlatformException versionWithoutModel() {
    return new PlatformException("mlops drift: --version N names a version of the model given with --model; a --table has"
        + " no versions (use --reference TABLE@VERSION for a table's reference)");
  }

  /** A severity that is neither warn nor alert, given to {@code mlops drift}. */
  public static PlatformException badSeverity(String text) {
    return badSeverity("drift", text);
  }

  /** A severity that is neither warn nor alert, given to {@code mlops <command>}. */
  public static PlatformException badSeverity(String command, String text) {
    return new PlatformException("mlops " + command + " --fail-on " + text + ": expected warn or alert");
  }

  /** An {@code --as-of} that is not a time. */
  public static PlatformException badAsOf(String text) {
    return new PlatformException("--as-of " + text + ": expected a time such as 2026-12-01T06:00:00Z, 2026-12-01T06:00"
        + " (UTC) or 2026-12-01 (its start, UTC)");
  }

  /** An unknown drift engine. */
  public static PlatformException unknownEngine(String name) {
    return new PlatformException("mlops drift --engine " + name + ": expected sketch or exact");
  }

  /** The demo's served days or history out of range. */
  public static PlatformException demoDays(int days, int history) {
    return new PlatformException("Cannot run the demo on --days " + days + " after --history " + history
        + ": it serves at least 4 days (the last three drift) after a history of 0 days or more");
  }

  /** Thrown when a dry run finds that {@code --view} or {@code --service} names nothing in the feature repository. */
  public static PlatformException notInRepo(String option, String value, java.util.Collection<String> known, String repo) {
    return new PlatformException(option + " " + value + ": the feature repository " + repo + " has no such "
        + option.substring(2) + "; it has " + known + dev.mlops.core.config.DidYouMean.hint(value, known));
  }

  /** Thrown when {@code pipeline check} finds no pipeline file in the pipelines folder. */
  public static PlatformException noPipelines(String folder) {
    return new PlatformException("No pipeline files (*.yaml) in " + folder + "; set pipelines: in the config to the folder"
        + " of the pipeline definitions, or name the files to check");
  }

  /** Thrown when a pipeline step that timed out is still running a minute after it was cancelled. */
  public static PlatformException stepDidNotStop(String step, java.time.Duration timeout, java.time.Duration grace) {
    return new PlatformException(step + " timed out after " + dev.mlops.core.config.Durations.format(timeout)
        + " and was still running " + dev.mlops.core.config.Durations.format(grace) + " after its Spark jobs were"
        + " cancelled; the pipeline run stops here so that nothing runs beside it (its row in ops.pipeline_runs stays"
        + " RUNNING, and a re-run runs it again). Raise the step's timeout: in the pipeline file");
  }

  /** Thrown when a pipeline the demo runs fails. */
  public static PlatformException demoPipelineFailed(String pipeline, java.util.List<String> failed) {
    return new PlatformException("The demo's run of pipeline " + pipeline + " failed: " + String.join("; ", failed)
        + "; see the steps' errors above, and ops.pipeline_runs");
  }

  /** Thrown when {@code models promote} gets both a VERSION and {@code --policy}, or neither. */
  public static PlatformException promoteWhatUnclear(String model) {
    return new PlatformException("models promote " + model + ": give a VERSION (with --stage, --by, --reason), or"
        + " --policy to apply the spec's promotion policy to its newest version, not both");
  }

  /** {@code mlops sql} given both a statement and {@code -f}. */
  public static PlatformException sqlAndFile() {
    return new PlatformException("mlops sql: give a statement or -f FILE, not both");
  }

  /** An output format {@code mlops sql} does not know. */
  public static PlatformException unknownSqlFormat(String name) {
    return new PlatformException("Unknown format " + name + ": expected table, csv or json");
  }

  /** A backslash command the shell does not know. */
  public static PlatformException unknownShellCommand(String command) {
    return new PlatformException("Unknown command " + command + "; \\? lists the commands (\\d, \\dt, \\timing,"
        + " \\format, \\q)");
  }

  /** A file given to {@code mlops sql -f} that cannot be read. */
  public static PlatformException sqlFileUnreadable(java.nio.file.Path file, java.io.IOException cause) {
    return new PlatformException("mlops sql -f " + file + ": cannot read it (" + cause.getClass().getSimpleName() + ": "
        + cause.getMessage() + "); pass the path of a readable SQL file", cause);
  }

  /** A file given to {@code mlops sql -f} that holds no statement. */
  public static PlatformException sqlFileEmpty(java.nio.file.Path file) {
    return new PlatformException("mlops sql -f " + file + ": the file holds no SQL statement");
  }

  /** A statement of a {@code mlops sql -f} file that failed: the file stops there. */
  public static PlatformException sqlStatementFailed(java.nio.file.Path file, int number, SqlScript.Statement statement,
      Exception cause) {
    return new PlatformException(file + ":" + statement.line() + ": statement " + number + " (" + statement.firstLine()
        + ") failed: " + MlopsCommand.describe(cause), cause);
  }
}
