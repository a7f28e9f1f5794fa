package dev.mlops.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a command in a separate process and captures its exit code, stdout and stderr. */
public final class ProcessRunner {
  private final List<String> command;
  private final Map<String, String> env = new HashMap<>();
  private Path workingDir;
  /**
   * A guard against a hung child, not a performance bound: the integration tests run two classes at
   * once on two cores, beside whatever else the machine runs, so a demo may take several times
   * its time on a quiet machine.
   */
  private Duration timeout = Duration.ofMinutes(20);

  private ProcessRunner(List<String> command) {
    this.command = List.copyOf(command);
  }

  /** A runner for {@code command}. */
  public static ProcessRunner of(List<String> command) {
    return new ProcessRunner(command);
  }

  /** Sets an environment variable of the child. */
  public ProcessRunner env(String key, String value) {
    env.put(key, value);
    return this;
  }

  /** Sets the working directory. */
  public ProcessRunner in(Path dir) {
    workingDir = dir;
    return this;
  }

  /** Sets the timeout (default 20 minutes); the process is killed when it passes. */
  public ProcessRunner timeout(Duration t) {
    timeout = t;
    return this;
  }

  /** Starts the process; {@link Running#await()} waits for it. */
  public Running start() {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    if (workingDir != null) {
      pb.directory(workingDir.toFile());
    }
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      return new Running(p, read(p.getInputStream()), read(p.getErrorStream()), timeout, command);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start " + command, e);
    }
  }

  /** Runs to the end. */
  public Result run() {
    return start().await();
  }

  /**
   * Drains {@code in} on a thread of its own: a pool could hold the reads of several running
   * processes back, and a child whose pipe fills up would stop.
   */
  private static CompletableFuture<String> read(InputStream in) {
    CompletableFuture<String> text = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (in) {
        text.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        text.complete("<unreadable: " + e + ">");
      }
    }, "process-output");
    reader.setDaemon(true);
    reader.start();
    return text;
  }

  /** A started process. */
  public record Running(Process process, CompletableFuture<String> out, CompletableFuture<String> err,
      Duration timeout, List<String> command) {
    /** Whether the process is still running. */
    public boolean isAlive() {
      return process.isAlive();
    }

    /** Waits for the end (killing the process after the timeout). */
    public Result await() {
      try {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly().waitFor();
          throw new AssertionError("Timed out after " + timeout + ": " + command + "\nstderr:\n" + err.getNow(""));
        }
        return new Result(process.exitValue(), out.get(), err.get());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /**
   * What a process did.
   *
   * @param exitCode its exit code
   * @param stdout what it printed on stdout
   * @param stderr what it printed on stderr
   */
  public record Result(int exitCode, String stdout, String stderr) {
    /** Both streams, for failure messages. */
    public String describe() {
      return "exit " + exitCode + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
    }

    /** Stdout read as JSON; when it is not JSON, the failure shows both streams. */
    public com.fasterxml.jackson.databind.JsonNode json() {
      try {
        return dev.mlops.core.tables.Json.mapper().readTree(stdout);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new AssertionError("stdout is not JSON (" + e.getOriginalMessage() + ")\n" + describe(), e);
      }
    }
  }

  /** {@code java} of the running JVM plus the Spark JVM flags, for child JVMs. */
  public static List<String> javaWithSparkFlags(Path repoRoot) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("@" + repoRoot.resolve("bin/jvm.options"));
    return cmd;
  }
}
