package dev.mlops.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The CLI ({@code dev.mlops.jobs.Mlops}) in a child JVM with the test classes on its classpath (so
 * that a config may plug {@link CommitHoldingLogStore} in), killed outright (SIGKILL to it and its
 * descendants) once it reached a point the test names: a held Delta commit, or any condition the
 * test observes. Nothing waits on a timer: the point is reached or the process ended first.
 */
final class KilledCli {
  /** How long a job may take to reach its point on a loaded machine. */
  static final Duration REACH = Duration.ofMinutes(5);

  private KilledCli() {}

  /**
   * What the killed process left: the commit it held (its log file's path, then its actions, one
   * JSON a line; empty when killed on another condition) and what it printed.
   */
  record Killed(List<String> commit, String stderr) {
    /** The log file the held commit would have written. */
    Path logFile() {
      return Path.of(commit.get(0));
    }

    /** The paths, relative to the table, of the data files the held commit adds. */
    List<String> addedFiles() {
      List<String> added = new ArrayList<>();
      for (String line : commit.subList(1, commit.size())) {
        JsonNode action;
        try {
          action = dev.mlops.core.tables.Json.mapper().readTree(line);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        if (action.has("add")) {
          added.add(java.net.URLDecoder.decode(action.get("add").get("path").asText(), java.nio.charset.StandardCharsets.UTF_8));
        }
      }
      return added;
    }
  }

  /**
   * Runs {@code mlops --conf conf args} whose config plugs in {@link CommitHoldingLogStore}, holding
   * the commit of the table in folder {@code table} ({@code raw.db/transactions}), and kills it
   * once it holds it.
   */
  static Killed atCommit(Path conf, Path dir, String table, String name, String... args) throws Exception {
    assertThat(Files.readString(conf)).as("the config plugs in the holding log store").contains(CommitHoldingLogStore.class.getName());
    Path marker = dir.resolve(name + ".commit");
    Running run = start(conf, dir, name, List.of("-D" + CommitHoldingLogStore.TABLE + "=/" + table,
        "-D" + CommitHoldingLogStore.MARKER + "=" + marker), args);
    run.killWhen(() -> Files.exists(marker), "held the commit of " + table);
    return new Killed(Files.readAllLines(marker), run.stderr());
  }

  /** Runs {@code mlops --conf conf args} and kills it once {@code reached} holds. */
  static Killed when(BooleanSupplier reached, String what, Path conf, Path dir, String name, String... args) throws Exception {
    Running run = start(conf, dir, name, List.of(), args);
    run.killWhen(reached, what);
    return new Killed(List.of(), run.stderr());
  }

  /** A started child JVM and where its output goes. */
  record Running(Process process, Path stderrFile, String name) {
    String stderr() throws IOException {
      return Files.readString(stderrFile);
    }

    /** Waits (checking every 20 ms) until {@code reached}, then kills the process and its descendants. */
    void killWhen(BooleanSupplier reached, String what) throws Exception {
      long deadline = System.nanoTime() + REACH.toNanos();
      boolean done = reached.getAsBoolean();
      while (!done && process.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(20);
        done = reached.getAsBoolean();
      }
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.waitFor();
      assertThat(done).as("%s %s before it ended or %s passed; stderr:\n%s", name, what, REACH, stderr()).isTrue();
    }
  }

  private static Running start(Path conf, Path dir, String name, List<String> properties, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(dev.mlops.testkit.ProcessRunner.javaWithSparkFlags(ItSupport.REPO));
    cmd.add("-Xmx1500m");
    cmd.addAll(ItSupport.CHILD_JVM);
    cmd.add("-Dlog4j2.configurationFile=" + ItSupport.REPO.resolve("conf/log4j2.properties"));
    cmd.add("-Dmlops.home=" + ItSupport.REPO);
    cmd.addAll(properties);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Mlops.class.getName(), "--conf", conf.toString()));
    cmd.addAll(List.of(args));
    Path stderr = dir.resolve(name + ".stderr");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(stderr.toFile()).redirectOutput(dir.resolve(name + ".stdout").toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    return new Running(pb.start(), stderr, name);
  }
}
