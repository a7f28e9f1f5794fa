package dev.mlops.core.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.testkit.RedisHarness;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

class LocalRedisServerTest {

  @Test
  void theHarnessStartsARealServerThatStoresValues() {
    try (RedisHarness redis = RedisHarness.start(); Jedis client = new Jedis(redis.host(), redis.port())) {
      client.hset("entity:1", "amount_7d", "12.5");
      assertThat(client.hget("entity:1", "amount_7d")).isEqualTo("12.5");
      assertThat(client.info("server")).contains("redis_version:");
    }
  }

  @Test
  void aStoppedServerRefusesConnectionsAndComesBackEmptyOnTheSamePort() {
    try (LocalRedisServer server = LocalRedisServer.startOnFreePort()) {
      try (Jedis client = new Jedis(server.host(), server.port())) {
        client.set("k", "v");
      }
      server.stop();
      assertThat(server.running()).isFalse();
      assertThatThrownBy(() -> {
        try (Jedis client = new Jedis(server.host(), server.port())) {
          client.ping();
        }
      }).isInstanceOf(JedisConnectionException.class);
      server.start();
      try (Jedis client = new Jedis(server.host(), server.port())) {
        assertThat(client.ping()).isEqualTo("PONG");
        assertThat(client.get("k")).as("persistence is off").isNull();
      }
    }
  }
}
