package dev.mlops.core.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.PlatformException;
import dev.mlops.testkit.RedisHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.UnifiedJedis;

/**
 * A lease on a real Redis (the online sync's and the S3 writers'), of 1.5 s instead of 60 s: held
 * longer than the lease while renewed, refused to a second taker meanwhile, released on close. The test waits for
 * renewals it observes (the key's remaining time rising again), not for a fixed time.
 */
class RedisLeaseTest {
  static final long LEASE = 1_500;
  static RedisHarness server;
  static final RedisLease.Refusal REFUSAL = new RedisLease.Refusal() {
    @Override
    public PlatformException heldBy(String holder, long leaseSeconds) {
      return new PlatformException("held by " + holder + " for " + leaseSeconds + " s");
    }

    @Override
    public PlatformException contended() {
      return new PlatformException("contended");
    }
  };

  @BeforeAll
  static void setUp() {
    server = RedisHarness.start();
  }

  @AfterAll
  static void tearDown() {
    server.close();
  }

  static UnifiedJedis connect() {
    return new UnifiedJedis(new HostAndPort(server.host(), server.port()));
  }

  @Test
  void aLeaseHeldLongerThanItsDurationIsRenewedAndKeptFromASecondTaker() throws Exception {
    String key = "test:meta:view:long:v1:lease";
    try (Jedis jedis = new Jedis(server.host(), server.port())) {
      long start = System.nanoTime();
      try (RedisLease lease = RedisLease.acquire(jedis, RedisLeaseTest::connect, key, "run-1", LEASE, "lease", REFUSAL)) {
        int renewals = 0;
        long last = jedis.pttl(key);
        long deadline = start + 30_000_000_000L;
        // Until the lease has outlived its first expiry by a renewal period, and three renewals were seen.
        while (renewals < 3 || System.nanoTime() - start < (LEASE + LEASE / 3) * 1_000_000) {
          assertThat(System.nanoTime()).as("renewals seen in 30 s: " + renewals).isLessThan(deadline);
          Thread.sleep(50);
          long ttl = jedis.pttl(key);
          assertThat(ttl).as("the lease is alive, " + (System.nanoTime() - start) / 1_000_000 + " ms after it was taken")
              .isPositive();
          if (ttl > last) {
            renewals++;
          }
          last = ttl;
        }
        assertThat((System.nanoTime() - start) / 1_000_000).as("ms held").isGreaterThan(LEASE);
        assertThat(jedis.get(key)).as("holder").isEqualTo("run-1");
        assertThatThrownBy(() -> RedisLease.acquire(jedis, RedisLeaseTest::connect, key, "run-2", LEASE, "lease", REFUSAL))
            .hasMessage("held by run-1 for 1 s");
      }
      assertThat(jedis.exists(key)).as("released on close").isFalse();
    }
  }
}
