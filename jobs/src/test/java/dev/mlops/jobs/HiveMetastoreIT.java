package dev.mlops.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.testkit.ProcessRunner;
import dev.mlops.testkit.RedisHarness;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code catalog.type: hive}, as in production: a real Hive metastore Thrift server (the one in
 * Spark's own Hive jars, on an embedded Derby database) in its own process, and the platform's
 * processes registering and finding tables through it.
 */
class HiveMetastoreIT {
  @TempDir static Path dir;
  static ProcessRunner.Running metastore;
  static RedisHarness redis;
  static Path conf;

  @BeforeAll
  static void startAMetastore() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    List<String> cmd = new ArrayList<>(ProcessRunner.javaWithSparkFlags(ItSupport.REPO));
    cmd.add("-Xmx512m");
    cmd.addAll(ItSupport.CHILD_JVM);
    cmd.addAll(List.of("-cp", Files.readString(ItSupport.TARGET.resolve("launcher.classpath")).strip(),
        "-Dhive.async.log.enabled=false",
        "-Djavax.jdo.option.ConnectionURL=jdbc:derby:;databaseName=" + dir.resolve("metastore-db") + ";create=true",
        "-Ddatanucleus.schema.autoCreateAll=true", "-Dhive.metastore.schema.verification=false",
        "-Dhive.metastore.warehouse.dir=" + dir.resolve("hive-default"),
        "org.apache.hadoop.hive.metastore.HiveMetaStore", "-p", String.valueOf(port)));
    metastore = ProcessRunner.of(cmd).in(dir).start();
    long deadline = System.currentTimeMillis() + 120_000;
    while (!listening(port)) {
      assertThat(metastore.process().isAlive()).as("metastore process alive").isTrue();
      assertThat(System.currentTimeMillis()).as("metastore started within 2 minutes").isLessThan(deadline);
      Thread.sleep(500);
    }
    redis = RedisHarness.start();
    conf = ItSupport.writeConfig(dir, dir.resolve("warehouse"), redis,
        "catalog:\n  type: hive\n  metastore-uri: thrift://127.0.0.1:" + port + "\n");
  }

  @AfterAll
  static void stopTheMetastore() {
    if (metastore != null) {
      metastore.process().destroyForcibly();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void tablesWrittenByOneProcessAreFoundByNameInAnotherThroughTheMetastore() throws Exception {
    // The data and a validation (check results, metrics, profiles: tables created and appended
    // to through the catalog); LauncherIT runs the whole pipeline.
    ProcessRunner.Result demo = LauncherIT.ok(LauncherIT.mlops(conf, LauncherIT.concat(List.of("demo", "--json",
        "--data-only"), LauncherIT.demo(java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(1)))).run());
    long generated = demo.json().get("transactions").asLong();
    LauncherIT.ok(LauncherIT.mlops(conf, "validate", "--suite", "raw_transactions").run());
    ProcessRunner.Result sql = LauncherIT.ok(LauncherIT.mlops(conf, "sql", "--json",
        "SELECT (SELECT count(*) FROM raw.transactions VERSION AS OF 0) AS n,"
            + " (SELECT count(*) FROM validation.metrics) AS metrics,"
            + " (SELECT count(*) FROM validation.profiles) AS profiles,"
            + " (SELECT count(DISTINCT run_id) FROM validation.check_results) AS validations,"
            + " (SELECT count(*) FROM ops.runs) AS runs").run());
    JsonNode row = sql.json().get("rows").get(0);
    assertThat(row.get("n").asLong()).isEqualTo(generated);
    assertThat(row.get("metrics").asLong()).isPositive();
    assertThat(row.get("profiles").asLong()).isPositive();
    assertThat(row.get("validations").asLong()).isEqualTo(1);
    assertThat(row.get("runs").asLong()).as("demo, validate").isEqualTo(2);
    ProcessRunner.Result tables = LauncherIT.ok(LauncherIT.mlops(conf, "sql", "SHOW TABLES IN validation").run());
    assertThat(tables.stdout()).contains("check_results", "metrics", "profiles");
    assertThat(Files.isDirectory(dir.resolve("warehouse/raw.db/transactions/_delta_log")))
        .as("tables live under the platform's warehouse root, not the metastore's default").isTrue();
    assertThat(Files.exists(dir.resolve("metastore-db"))).as("the metastore kept the catalog").isTrue();
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 300);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
