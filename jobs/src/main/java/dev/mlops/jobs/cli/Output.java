package dev.mlops.jobs.cli;

import dev.mlops.core.tables.Json;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;

/**
 * Where a command speaks: its result on stdout (human text, or one JSON document with
 * {@code --json}), progress and errors on stderr so that stdout stays parseable.
 */
final class Output {
  private final PrintStream out;
  private final PrintStream err;
  private final boolean json;
  private final Instant started = Instant.now();

  public Output(PrintStream out, PrintStream err, boolean json) {
    this.out = out;
    this.err = err;
    this.json = json;
  }

  /** Where results go (the command tree's standard output). */
  PrintStream out() {
    return out;
  }

  /** Where progress and errors go. */
  PrintStream err() {
    return err;
  }

  /** Whether the user asked for JSON. */
  public boolean json() {
    return json;
  }

  /** Prints a human line on stdout, unless JSON was asked for. */
  public void human(String text) {
    if (!json) {
      out.println(text);
    }
  }

  /** Prints {@code value} as JSON on stdout, if JSON was asked for. */
  public void machine(Object value) {
    if (json) {
      out.println(Json.write(value));
    }
  }

  /** A progress line on stderr, with the time since the command started. */
  public void progress(String step) {
    long s = Duration.between(started, Instant.now()).toSeconds();
    err.printf("[%02d:%02d] %s%n", s / 60, s % 60, step);
  }

  /** A warning line on stderr: something the user should know that does not fail the command. */
  public void warning(String message) {
    err.println("warning: " + message);
  }

  /**
   * Why a command that ran to its end exits 1 by its verdict (a gate refused, a check failed, an
   * alert raised with {@code --fail-on}): a {@code failed:} line on stderr, which the pipeline
   * runner reports as the step's reason. Returns 1.
   */
  public int failed(String why) {
    err.println("failed: " + why);
    return 1;
  }

  /** An error line on stderr. */
  public void error(String message) {
    err.println("error: " + message);
  }
}
