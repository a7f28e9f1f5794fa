package dev.mlops.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.Processes;
import dev.mlops.testkit.ProcessRunner;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A Spark standalone cluster on loopback, built from the Maven jars a Spark installation holds
 * ({@code spark.classpath}): a Spark home whose {@code jars/} links to them, a Master and a Worker
 * (2 cores, 4 GB) in JVMs of their own, and submissions of the job jar in client mode, whose
 * executors the Worker starts in JVMs of their own. {@link #close()} stops the Worker and the
 * Master (and any executor left) by their process ids. Not thread-safe.
 */
final class StandaloneCluster implements AutoCloseable {
  /** The submitting JVM (the driver): it plans, the executors compute. */
  static final List<String> DRIVER_JVM = List.of("-Xmx1500m", "-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=240m");

  /**
   * The executors' JVM time zone, other than the driver's (UTC here): cluster hosts keep their own,
   * and code that turned dates into instants with the JVM's zone would shift days on them.
   */
  static final String EXECUTOR_TIME_ZONE = "-Duser.timezone=America/Los_Angeles";

  private final Path home;
  private final int port;
  private final int webUiPort;
  private final List<Process> daemons = new ArrayList<>();

  private StandaloneCluster(Path home, int port, int webUiPort) {
    this.home = home;
    this.port = port;
    this.webUiPort = webUiPort;
  }

  /** Builds a Spark home under {@code dir}, starts a Master and a Worker and waits until the Worker has registered. */
  static StandaloneCluster start(Path dir) throws IOException, InterruptedException {
    StandaloneCluster cluster = new StandaloneCluster(sparkHome(dir.resolve("spark-home")), freePort(), freePort());
    try {
      cluster.daemon("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
          String.valueOf(cluster.port), "--webui-port", String.valueOf(cluster.webUiPort));
      cluster.daemon("worker", "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "2", "--memory",
          "4g", "--webui-port", String.valueOf(freePort()), "--work-dir", cluster.workDir().toString(), cluster.url());
      cluster.awaitAliveWorker(Duration.ofSeconds(90));
      return cluster;
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
  }

  /**
   * A Spark home as a Spark distribution lays it out, as far as the Master, the Worker and the
   * Worker's command for an executor need: {@code jars/} with the runtime jars, a {@code RELEASE}
   * file (which makes {@code jars/} the classpath) and the Scala version's build folder (without
   * which the launcher fails with "Cannot find any build directories").
   */
  static Path sparkHome(Path home) throws IOException {
    Path jars = Files.createDirectories(home.resolve("jars"));
    for (String jar : Files.readString(ItSupport.TARGET.resolve("spark.classpath")).strip().split(java.io.File.pathSeparator)) {
      Path source = Path.of(jar);
      Path link = jars.resolve(source.getFileName());
      if (Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        link = jars.resolve(source.getParent().getFileName() + "-" + source.getFileName());
      }
      Files.createSymbolicLink(link, source);
    }
    Files.writeString(home.resolve("RELEASE"), "");
    Files.createDirectories(home.resolve("launcher/target/scala-2.13"));
    return home;
  }

  /** The master's URL. */
  String url() {
    return "spark://127.0.0.1:" + port;
  }

  /** The Worker's work folder: one folder per application, one per executor in it, with its stdout and stderr. */
  Path workDir() {
    return home.resolve("work");
  }

  /** The Master's state ({@code /json} of its web UI): workers, active and completed applications. */
  JsonNode masterState() throws IOException, InterruptedException {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + webUiPort + "/json/")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    return dev.mlops.core.tables.Json.mapper().readTree(r.body());
  }

  /**
   * The executor flags: the JVM's add-opens and Spark's system properties of {@code bin/jvm.options},
   * which the launcher and the tests give every JVM that runs Spark.
   */
  static String executorJavaOptions() throws IOException {
    return String.join(" ", Files.readAllLines(ItSupport.REPO.resolve("bin/jvm.options")).stream()
        .filter(l -> l.startsWith("--add-opens") || l.startsWith("-D")).toList());
  }

  /**
   * Submits the job jar to this cluster in client mode, with the {@code mlops} arguments {@code
   * appArgs} on {@code conf}, and waits for its end: {@code spark-submit --master spark://...
   * --deploy-mode client} as the README gives it, run as the script runs it (the class {@code
   * SparkSubmit} in a JVM whose classpath is the Spark home's jars alone). With Kryo for data, as
   * clusters' {@code spark-defaults.conf} often set, and executors in another time zone.
   */
  Submitted submit(String name, Path conf, String... appArgs) throws IOException {
    List<String> cmd = new ArrayList<>(ProcessRunner.javaWithSparkFlags(ItSupport.REPO));
    cmd.addAll(DRIVER_JVM);
    cmd.addAll(List.of("-cp", home.resolve("jars") + "/*", "org.apache.spark.deploy.SparkSubmit",
        "--master", url(), "--deploy-mode", "client", "--name", name,
        "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.executor.memory=1500m",
        "--conf", "spark.executor.extraJavaOptions=" + executorJavaOptions() + " " + EXECUTOR_TIME_ZONE,
        "--conf", "spark.serializer=org.apache.spark.serializer.KryoSerializer",
        "--class", "dev.mlops.jobs.Mlops", ItSupport.TARGET.resolve("mlops-spark-job.jar").toString(),
        "--conf", conf.toString()));
    cmd.addAll(List.of(appArgs));
    ProcessRunner.Running driver = ProcessRunner.of(cmd).env("SPARK_HOME", home.toString()).env("SPARK_LOCAL_IP", "127.0.0.1")
        .env("SPARK_SCALA_VERSION", "2.13").start();
    return new Submitted(driver.process().pid(), driver.await());
  }

  /** A finished submission: the driver's process id and what it did. */
  record Submitted(long driverPid, ProcessRunner.Result result) {}

  /** The stderr files of the executors the Worker started for the application {@code appId}. */
  List<Path> executorLogs(String appId) throws IOException {
    Path app = workDir().resolve(appId);
    if (!Files.isDirectory(app)) {
      return List.of();
    }
    try (Stream<Path> executors = Files.list(app)) {
      return executors.map(e -> e.resolve("stderr")).filter(Files::isRegularFile).sorted().toList();
    }
  }

  private void daemon(String name, String mainClass, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(ProcessRunner.javaWithSparkFlags(ItSupport.REPO));
    cmd.addAll(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", home.resolve("jars") + "/*", mainClass));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(home.resolve(name + ".log").toFile());
    pb.environment().put("SPARK_HOME", home.toString());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().put("SPARK_SCALA_VERSION", "2.13");
    daemons.add(pb.start());
  }

  private void awaitAliveWorker(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (Process p : daemons) {
        if (!p.isAlive()) {
          throw new AssertionError("a cluster daemon exited (" + p.exitValue() + "):\n" + logs());
        }
      }
      try {
        for (JsonNode w : masterState().path("workers")) {
          if ("ALIVE".equals(w.path("state").asText())) {
            return;
          }
        }
      } catch (java.net.ConnectException notYetListening) {
        // The Master's web UI is not up yet.
      }
      Thread.sleep(250);
    }
    throw new AssertionError("no worker registered with the master within " + timeout + ":\n" + logs());
  }

  /** The Master's and the Worker's logs, for failure messages. */
  String logs() {
    StringBuilder s = new StringBuilder();
    for (String name : List.of("master", "worker")) {
      try {
        s.append("--- ").append(name).append(" ---\n").append(Files.readString(home.resolve(name + ".log")));
      } catch (IOException e) {
        s.append("--- ").append(name).append(": ").append(e).append('\n');
      }
    }
    return s.toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Stops the Worker (whose shutdown stops its executors), then the Master, by their process ids. */
  @Override
  public void close() {
    for (int i = daemons.size() - 1; i >= 0; i--) {
      Process p = daemons.get(i);
      List<ProcessHandle> children = p.descendants().toList();
      Processes.stop(p, Duration.ofSeconds(20));
      children.forEach(ProcessHandle::destroyForcibly);
    }
  }
}
