package dev.mlops.jobs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.SparkContext;

/**
 * Runs a pipeline step's {@code mlops} arguments in this JVM through the command tree of
 * {@link MlopsCommand}, with the caller's {@code --conf}: in JSON mode with stdout captured (the
 * step's result document), stderr passed through (its progress) and remembered for the error, and
 * the ids of the {@code ops.runs} records it starts. A real run goes on a worker thread under a
 * Spark job group, cancelled with the thread on timeout (its future jobs too); a step whose thread
 * does not stop then stops the whole run. Not thread-safe; one per pipeline run.
 */
final class StepExecutor {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** How long a timed-out step's thread may take to stop once its Spark jobs are cancelled. */
  static final Duration STOP_GRACE = Duration.ofMinutes(1);

  private final GlobalOptions global;
  private final PrintStream err;
  private final SparkContext spark;
  private int groups;

  /**
   * @param global the caller's options: {@code --conf} and {@code --debug} are passed on
   * @param err where the steps' progress goes
   * @param spark the Spark context whose job groups bound the steps; null for dry runs only
   */
  StepExecutor(GlobalOptions global, PrintStream err, SparkContext spark) {
    this.global = global;
    this.err = err;
    this.spark = spark;
  }

  /**
   * What an execution gave.
   *
   * @param exitCode the command's exit code (1 on timeout)
   * @param error the error it printed, or why it failed; null when it exited 0
   * @param runIds the {@code ops.runs} ids it started
   * @param result its JSON result document, or null
   */
  record Outcome(int exitCode, String error, List<String> runIds, JsonNode result) {
    boolean succeeded() {
      return exitCode == 0;
    }
  }

  /** Checks {@code args} as {@code mlops --dry-run} does, without Spark. */
  Outcome dryRun(List<String> args) {
    return execute(args, true, new ArrayList<>());
  }

  /**
   * Runs {@code args} on a worker thread, for at most {@code timeout} (null: no limit).
   *
   * @param label names the Spark job group ({@code pipeline nightly step score 2026-12-01})
   */
  Outcome run(List<String> args, String label, Duration timeout) {
    List<String> runIds = Collections.synchronizedList(new ArrayList<>());
    String group = "mlops-pipeline-" + (++groups) + "-" + System.nanoTime();
    ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "pipeline-step");
      t.setDaemon(true);
      return t;
    });
    Future<Outcome> future = worker.submit(() -> {
      spark.setJobGroup(group, label, true);
      try {
        return execute(args, false, runIds);
      } finally {
        spark.clearJobGroup();
      }
    });
    worker.shutdown();
    try {
      return timeout == null || timeout.isZero() ? future.get() : future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      spark.cancelJobGroupAndFutureJobs(group);
      future.cancel(true);
      if (!stopped(worker)) {
        throw CliErrors.stepDidNotStop(label, timeout, STOP_GRACE);
      }
      return new Outcome(1, "timed out after " + dev.mlops.core.config.Durations.format(timeout) + " (its Spark jobs were"
          + " cancelled); raise the step's timeout: in the pipeline file", List.copyOf(runIds), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      spark.cancelJobGroup(group);
      future.cancel(true);
      return new Outcome(1, "interrupted", List.copyOf(runIds), null);
    } catch (ExecutionException e) {
      return new Outcome(1, MlopsCommand.describe(e.getCause()), List.copyOf(runIds), null);
    }
  }

  /**
   * Whether the step's thread ended within {@link #STOP_GRACE} of its cancellation: work on the
   * driver (a Delta commit, Redis writes) does not stop with its Spark jobs, and the next attempt or
   * step must not run beside it.
   */
  private static boolean stopped(ExecutorService worker) {
    try {
      return worker.awaitTermination(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private Outcome execute(List<String> args, boolean dryRun, List<String> runIds) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    PrintStream stepErr = new PrintStream(dryRun ? errors : new Tee(err, errors), true, StandardCharsets.UTF_8);
    List<String> argv = new ArrayList<>(List.of("--conf", global.conf, "--json"));
    if (dryRun) {
      argv.add("--dry-run");
    }
    if (global.debug) {
      argv.add("--debug");
    }
    argv.addAll(args);
    int code = MlopsCommand.commandLine(new PrintStream(out, true, StandardCharsets.UTF_8), stepErr, runIds::add)
        .execute(argv.toArray(String[]::new));
    String printed = errors.toString(StandardCharsets.UTF_8);
    return new Outcome(code, code == 0 ? null : error(printed, code), List.copyOf(runIds), json(out));
  }

  /**
   * Why a command failed, from what it printed on stderr: its last {@code error:} or {@code failed:}
   * line (see {@link Output#failed}), else its first line that is neither progress nor a warning
   * (picocli's usage errors).
   */
  static String error(String stderr, int code) {
    List<String> lines = stderr.lines().filter(l -> !l.isBlank()).toList();
    return lines.stream().filter(l -> l.startsWith("error: ") || l.startsWith("failed: ")).reduce((a, b) -> b)
        .map(l -> l.substring(l.indexOf(": ") + 2))
        .orElse(lines.stream().filter(l -> !l.startsWith("[") && !l.startsWith("warning: ")).findFirst()
            .orElse("exited with code " + code));
  }

  private static JsonNode json(ByteArrayOutputStream out) {
    String text = out.toString(StandardCharsets.UTF_8).strip();
    if (text.isEmpty()) {
      return null;
    }
    try {
      return JSON.readTree(text);
    } catch (java.io.IOException e) {
      return null;
    }
  }

  /** Writes to two streams. */
  private static final class Tee extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    Tee(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int x) throws java.io.IOException {
      a.write(x);
      b.write(x);
    }

    @Override
    public void write(byte[] bytes, int off, int len) throws java.io.IOException {
      a.write(bytes, off, len);
      b.write(bytes, off, len);
    }

    @Override
    public void flush() throws java.io.IOException {
      a.flush();
      b.flush();
    }
  }
}
