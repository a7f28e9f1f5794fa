package dev.mlops.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.testkit.ProcessRunner;
import dev.mlops.testkit.RedisHarness;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.hive.metastore.api.ThriftHiveMetastore;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.transport.TSocket;
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
  /** How many ports the metastore is started on before the test gives up. */
  static final int PORT_ATTEMPTS = 3;

  @TempDir static Path dir;
  static ProcessRunner.Running metastore;
  static Path metastoreDb;
  static RedisHarness redis;
  static Path conf;

  /**
   * The metastore binds its port itself, after setting up its database, seconds after a free port
   * was picked for it: another process may take the port meanwhile. The metastore then fails to
   * start, and is started again on another port; a server answering on the port counts only when it
   * is this metastore (it names this test's warehouse directory).
   */
  @BeforeAll
  static void startAMetastore() throws Exception {
    List<String> failures = new ArrayList<>();
    int port = -1;
    for (int attempt = 1; metastore == null; attempt++) {
      assertThat(attempt).as("metastore start attempts, each on a port another process took: %s", failures)
          .isLessThanOrEqualTo(PORT_ATTEMPTS);
      port = freePort();
      Path db = dir.resolve("metastore-db-" + attempt);
      ProcessRunner.Running started = startMetastore(port, db);
      long deadline = System.currentTimeMillis() + 120_000;
      while (!servedBy(port)) {
        if (!started.process().isAlive()) {
          ProcessRunner.Result r = started.await();
          failures.add("port " + port + ": " + r.describe().lines().filter(l -> l.contains("Exception")).findFirst()
              .orElse("exit " + r.exitCode()));
          break;
        }
        if (System.currentTimeMillis() > deadline) {
          started.process().destroyForcibly();
          throw new AssertionError("The metastore did not answer on port " + port + " within 2 minutes");
        }
        Thread.sleep(500);
      }
      if (started.process().isAlive()) {
        metastore = started;
        metastoreDb = db;
      }
    }
    redis = RedisHarness.start();
    conf = ItSupport.writeConfig(dir, dir.resolve("warehouse"), redis,
        "catalog:\n  type: hive\n  metastore-uri: thrift://127.0.0.1:" + port + "\n");
  }

  private static ProcessRunner.Running startMetastore(int port, Path db) throws IOException {
    List<String> cmd = new ArrayList<>(ProcessRunner.javaWithSparkFlags(ItSupport.REPO));
    cmd.add("-Xmx512m");
    cmd.addAll(ItSupport.CHILD_JVM);
    cmd.addAll(List.of("-cp", Files.readString(ItSupport.TARGET.resolve("launcher.classpath")).strip(),
        "-Dhive.async.log.enabled=false",
        "-Djavax.jdo.option.ConnectionURL=jdbc:derby:;databaseName=" + db + ";create=true",
        "-Ddatanucleus.schema.autoCreateAll=true", "-Dhive.metastore.schema.verification=false",
        "-Dhive.metastore.warehouse.dir=" + dir.resolve("hive-default"),
        "org.apache.hadoop.hive.metastore.HiveMetaStore", "-p", String.valueOf(port)));
    return ProcessRunner.of(cmd).in(dir).start();
  }

  /** A port free now, which the metastore may yet find taken. */
  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Whether this test's metastore answers on {@code port}: its default database is in this test's directory. */
  private static boolean servedBy(int port) {
    TSocket socket = null;
    try {
      socket = new TSocket("127.0.0.1", port, 30_000);
      socket.open();
      String location = new ThriftHiveMetastore.Client(new TBinaryProtocol(socket)).get_database("default").getLocationUri();
      return location != null && location.contains(dir.resolve("hive-default").toString());
    } catch (TException | RuntimeException e) {
      return false; // not listening yet, or another server
    } finally {
      if (socket != null) {
        socket.close();
      }
    }
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
        "--data-only"), LauncherIT.smallDemo(java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(1)))).run());
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
    assertThat(Files.exists(metastoreDb)).as("the metastore kept the catalog").isTrue();
  }
}
