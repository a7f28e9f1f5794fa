package dev.mlops.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.redis.LocalRedisCluster;
import dev.mlops.core.tables.Json;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * {@code mlops online sync|get|verify} in this JVM against a Redis Cluster of three masters on
 * loopback ({@code redis.mode: cluster}): what a user runs, from the config to the printed result.
 */
class OnlineCommandTest {
  static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

  @TempDir static Path dir;
  static CliWarehouse cli;
  static LocalRedisCluster cluster;
  static Path onCluster;

  @BeforeAll
  static void setUp() throws Exception {
    cli = CliWarehouse.get();
    cluster = LocalRedisCluster.start(3);
    onCluster = cli.withRedis(dir, "  mode: cluster\n  nodes: [" + String.join(", ", cluster.nodes()) + "]\n");
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static JsonNode json(CliWarehouse.Call call, String what) throws Exception {
    assertThat(call.code()).as(what + "; stderr: " + call.err()).isZero();
    return Json.mapper().readTree(call.out());
  }

  @Test
  void aServiceSyncedToAClusterIsReadByKeyAndVerifiedWithNoMismatch() throws Exception {
    cli.materializeProfiles(NOW, 1.25);

    JsonNode sync = json(cli.mlops(onCluster, "online", "sync", "--service", "svc", "--full", "--json"), "sync");
    assertThat(sync.toString()).as("the sync's report").contains("\"view\":\"profile v1\"", "\"written\":3");
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < cluster.size(); i++) {
      try (Jedis node = new Jedis(cluster.master(i).host(), cluster.master(i).port())) {
        keys.addAll(node.keys("cli:fv:profile:v1:*"));
      }
    }
    assertThat(keys).as("one hash per user, on the masters of their slots").containsExactlyInAnyOrder(
        "cli:fv:profile:v1:{1}", "cli:fv:profile:v1:{2}", "cli:fv:profile:v1:{" + CliWarehouse.BIG + "}");

    JsonNode get = json(cli.mlops(onCluster, "online", "get", "--service", "svc", "--key", "user_id=1", "--key",
        "user_id=2", "--key", "user_id=" + CliWarehouse.BIG, "--json"), "get");
    List<String> scores = new ArrayList<>();
    get.get("vectors").forEach(v -> scores.add(v.get("key").toString() + " " + v.get("values").get("score").asDouble()));
    assertThat(scores).as("each user's score, in the order asked (the keys as given)").containsExactly(
        "{\"user_id\":\"1\"} 1.25", "{\"user_id\":\"2\"} 2.5", "{\"user_id\":\"" + CliWarehouse.BIG + "\"} 5.0");

    JsonNode verify = json(cli.mlops(onCluster, "online", "verify", "--service", "svc", "--json"), "verify");
    assertThat(verify.get("mismatches").asLong()).as("online against offline").isZero();
    assertThat(verify.get("entities").asLong()).as("every user compared").isEqualTo(3);

    CliWarehouse.Call mistyped = cli.mlops(onCluster, "online", "get", "--service", "svc", "--key", "user_id=abc");
    assertThat(mistyped.code()).as("a key of the wrong type").isNotZero();
    assertThat(mistyped.err()).contains("user_id", "abc");
  }
}
