package dev.mlops.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Paths and configs shared by the integration tests, which run after {@code package}. */
final class ItSupport {
  static final Path REPO = Path.of(System.getProperty("mlops.repo.root", "..")).toAbsolutePath().normalize();
  static final Path TARGET = Path.of(System.getProperty("mlops.jobs.target", "target")).toAbsolutePath();

  /**
   * JVM options of the child JVMs: they live seconds on small data, where the optimizing compiler
   * costs more than it gives back (with C1 alone a demo {@code mlops score} took about half the
   * CPU time and a fifth less wall time on 2 cores). C1 alone reserves a code cache of 48 MB, which
   * the demo fills: the JVM then stops compiling and runs the rest interpreted, so the cache gets
   * the size tiered compilation has.
   */
  static final List<String> CHILD_JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=240m");

  /**
   * JVM options of a child JVM that computes for minutes (the demo): the optimizing compiler pays
   * for itself there.
   */
  static final List<String> LONG_JVM = List.of("-XX:ReservedCodeCacheSize=240m");

  private ItSupport() {}

  /**
   * Runs the job jar as {@code spark-submit} does: {@code org.apache.spark.deploy.SparkSubmit} (the
   * class the script calls) in a separate JVM whose classpath holds Spark alone, so Delta, our code
   * and our dependencies must all come from the jar.
   */
  static dev.mlops.testkit.ProcessRunner.Result submit(Path conf, String... appArgs) throws IOException {
    return submit(CHILD_JVM, conf, appArgs);
  }

  /** As {@link #submit(Path, String...)}, with these JVM options for the driver. */
  static dev.mlops.testkit.ProcessRunner.Result submit(List<String> jvm, Path conf, String... appArgs) throws IOException {
    List<String> cmd = new java.util.ArrayList<>(dev.mlops.testkit.ProcessRunner.javaWithSparkFlags(REPO));
    cmd.add("-Xmx2g");
    cmd.addAll(jvm);
    cmd.addAll(List.of("-cp", Files.readString(TARGET.resolve("spark.classpath")).strip(),
        "org.apache.spark.deploy.SparkSubmit", "--master", "local[2]",
        "--conf", "spark.ui.enabled=false", "--conf", "spark.driver.host=127.0.0.1",
        "--class", "dev.mlops.jobs.Mlops", TARGET.resolve("mlops-spark-job.jar").toString(), "--conf", conf.toString()));
    cmd.addAll(List.of(appArgs));
    return dev.mlops.testkit.ProcessRunner.of(cmd).env("SPARK_LOCAL_IP", "127.0.0.1").run();
  }

  /** A config on {@code warehouse} whose online store is {@code redis}, plus {@code extra} YAML. */
  static Path writeConfig(Path dir, Path warehouse, dev.mlops.testkit.RedisHarness redis, String extra) throws IOException {
    return writeConfig(dir, warehouse, "redis:\n  host: " + redis.host() + "\n  port: " + redis.port() + "\n" + extra);
  }

  /** Writes a small local config whose warehouse is {@code warehouse}, plus {@code extra} YAML. */
  static Path writeConfig(Path dir, Path warehouse, String extra) throws IOException {
    return writeConfig(dir, warehouse, extra, java.util.Map.of());
  }

  /** As {@link #writeConfig(Path, Path, String)}, with these {@code spark.settings}. */
  static Path writeConfig(Path dir, Path warehouse, String extra, java.util.Map<String, String> sparkSettings)
      throws IOException {
    return writeConfig(dir, warehouse.toAbsolutePath().toString(), extra, sparkSettings);
  }

  /** As {@link #writeConfig(Path, Path, String, java.util.Map)}, on the warehouse URI {@code root} ({@code s3a://...}). */
  static Path writeConfig(Path dir, String root, String extra, java.util.Map<String, String> sparkSettings)
      throws IOException {
    StringBuilder settings = new StringBuilder();
    sparkSettings.forEach((k, v) -> settings.append("    ").append(k).append(": \"").append(v).append("\"\n"));
    Files.createDirectories(dir);
    Path conf = dir.resolve("it.yaml");
    Files.writeString(conf, "project: it\n"
        + "warehouse:\n  root: " + root + "\n"
        + "spark:\n  master: local[2]\n  log-level: ERROR\n  shuffle-partitions: 2\n"
        + (settings.length() == 0 ? "" : "  settings:\n" + settings)
        + "features:\n  repo: " + REPO.resolve("conf/features") + "\n"
        + "validation:\n  suites: " + REPO.resolve("conf/validation") + "\n"
        + "training:\n  models: " + quickModels(dir) + "\n"
        + "pipelines: " + REPO.resolve("conf/pipelines") + "\n"
        + extra);
    return conf;
  }

  /**
   * The repository's model specs with one candidate of 5 trees instead of a grid of two of 20,
   * written under {@code dir}: the tests check what the platform does with a model (train, gate,
   * promote, score, reproduce, monitor), which is the same for a smaller one, and the demo's model
   * trains twice in the demo and again in {@code models reproduce}. The fairness audit is still
   * made and reported, without its selection-rate limit: in the tests' few thousand transactions
   * a segment has a handful of test rows, so the gap is noise and the gate would fail at random.
   * The README's demo trains the specs as they are.
   */
  static Path quickModels(Path dir) throws IOException {
    Path models = Files.createDirectories(dir.resolve("models"));
    String fraud = Files.readString(REPO.resolve("conf/models/fraud.yaml"));
    String fairnessLimit = "  max-demographic-parity-difference: 0.4\n";
    if (!fraud.contains("grid: {maxDepth: [3, 5]}") || !fraud.contains("maxIter: 20,") || !fraud.contains(fairnessLimit)) {
      throw new IllegalStateException("conf/models/fraud.yaml no longer has the grid, iterations and fairness limit the"
          + " tests change; update ItSupport.quickModels");
    }
    Files.writeString(models.resolve("fraud.yaml"), fraud.replace("grid: {maxDepth: [3, 5]}", "grid: {maxDepth: [3]}")
        .replace("maxIter: 20,", "maxIter: 5,").replace(fairnessLimit, ""));
    return models;
  }
}
