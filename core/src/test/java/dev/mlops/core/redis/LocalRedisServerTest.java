package dev.mlops.core.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.testkit.RedisHarness;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.PrimitiveIterator;
import java.util.function.IntSupplier;
import java.util.stream.IntStream;
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
  void withRedisUrlSetTheHarnessRefusesToFlushTheServerItDidNotStart() {
    try (LocalRedisServer theirs = LocalRedisServer.startOnFreePort();
        Jedis client = new Jedis(theirs.host(), theirs.port())) {
      client.set("someone-else:key", "kept");
      String url = "redis://" + theirs.host() + ":" + theirs.port();
      try (RedisHarness redis = RedisHarness.start(k -> k.equals("REDIS_URL") ? url : null)) {
        assertThat(redis.owned()).as("owned").isFalse();
        assertThat(redis.port()).as("the port of REDIS_URL").isEqualTo(theirs.port());
        assertThatThrownBy(redis::flushAll).isInstanceOf(IllegalStateException.class)
            .hasMessage("Refusing to flush the Redis server at " + theirs.host() + ":" + theirs.port() + ": REDIS_URL names"
                + " it, so this harness did not start it; unset REDIS_URL to run this test on a server of its own");
        assertThatThrownBy(redis::process).hasMessage("REDIS_URL is set: this harness does not own the server");
      }
      assertThat(client.get("someone-else:key")).as("the data survives the refusal and the harness's close").isEqualTo("kept");
      assertThat(theirs.running()).as("close left their server running").isTrue();
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

  @Test
  void aPortTakenBeforeTheServerBindsItIsSkippedForTheNextFreeOne() throws Exception {
    try (ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        LocalRedisServer other = LocalRedisServer.startOnFreePort()) {
      // The first two "free" ports were taken meanwhile: one by a plain listener, one by another Redis,
      // which answers PING as well as ours would.
      PrimitiveIterator.OfInt taken = IntStream.of(squatter.getLocalPort(), other.port()).iterator();
      IntSupplier ports = () -> taken.hasNext() ? taken.nextInt() : freePort();
      try (LocalRedisServer server = LocalRedisServer.startOnFirstFree(LocalRedisServer.findBinary(), ports, List.of())) {
        assertThat(server.port()).isNotIn(squatter.getLocalPort(), other.port());
        try (Jedis client = new Jedis(server.host(), server.port())) {
          assertThat(client.info("server")).contains("process_id:" + server.pid() + "\r\n");
        }
      }
    }
  }

  @Test
  void aServerThatCannotBindAnyOfItsPortsSaysSo() throws Exception {
    try (ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(() -> LocalRedisServer.startOnFirstFree(LocalRedisServer.findBinary(), squatter::getLocalPort,
          List.of()))
          .hasMessage("Cannot start a Redis server: another process took each of the " + LocalRedisServer.PORT_ATTEMPTS
              + " free ports tried before the server could bind it")
          .cause().hasMessageEndingWith(": port " + squatter.getLocalPort() + " is taken by another process");
    }
  }

  /** A port nothing holds now, which the server under test may still find taken (it then tries another). */
  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
