package dev.mlops.features.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.testkit.RedisHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * The sync lease on a real Redis, with a lease of 1.5 s instead of 60 s: held longer than the lease
 * while renewed, refused to a second sync meanwhile, released on close. The test waits for
 * renewals it observes (the key's remaining time rising again), not for a fixed time.
 */
class SyncLeaseTest {
  static final long LEASE = 1_500;
  static RedisHarness server;
  static RedisSettings redis;

  @BeforeAll
  static void setUp() {
    server = RedisHarness.start();
    redis = new RedisSettings(server.host(), server.port(), 0, null, null, false, 2000);
  }

  @AfterAll
  static void tearDown() {
    server.close();
  }

  @Test
  void aLeaseHeldLongerThanItsDurationIsRenewedAndKeptFromASecondSync() throws Exception {
    String key = "test:meta:view:long:v1:lease";
    try (Jedis jedis = redis.connect()) {
      long start = System.nanoTime();
      try (SyncLease lease = SyncLease.acquire(jedis, redis, key, "run-1", "long v1", LEASE)) {
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
        assertThatThrownBy(() -> SyncLease.acquire(jedis, redis, key, "run-2", "long v1", LEASE))
            .hasMessageStartingWith("Cannot sync long v1: another sync (run run-1) is running on it");
      }
      assertThat(jedis.exists(key)).as("released on close").isFalse();
    }
  }
}
