package dev.mlops.features.online;

import static dev.mlops.features.FeatureFixtures.ts;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.tables.TableName;
import dev.mlops.features.FeatureFixtures;
import dev.mlops.features.FeatureStore;
import dev.mlops.features.registry.FeatureRegistry;
import dev.mlops.testkit.RedisHarness;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.util.SafeEncoder;

/**
 * Per-view TTL through Redis expiry, and aggregation views' expiry rows. The expiry Redis is given
 * is checked, not waited for: Redis runs it on its own clock, and a wait would race the Spark steps.
 */
class OnlineExpiryTest {
  @TempDir Path dir;

  @Test
  void valuesExpireWithTheirViewsTtlAndExpiredAggregatesAreDeleted() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    String repo = """
        entities:
          - {name: user, join-keys: [{name: user_id, type: bigint}]}
        sources:
          - {name: events, table: raw.events, event-time: ts}
        feature-views:
          - name: blink
            version: 1
            entities: [user]
            sources: [events]
            ttl: 1h
            sql: SELECT user_id, ts, amount FROM events
            event-time: ts
            features: [{name: amount, type: double}]
          - name: spend
            version: 1
            entities: [user]
            source: events
            ttl: 2d
            aggregation: {granularity: 1d, windows: [1d, 2d]}
            features: [{name: n, function: count, type: bigint}]
        feature-services:
          - name: both
            features: [{view: blink, version: 1, features: [amount]}, {view: spend, version: 1, features: [n_1d, n_2d]}]
        """;
    FeatureFixtures fx = new FeatureFixtures(dir, now).files(Map.of("repo.yaml", repo));
    long t = OnlineStoreTest.micros(now);
    StructType schema = new StructType().add("user_id", DataTypes.LongType).add("ts", DataTypes.TimestampType)
        .add("amount", DataTypes.DoubleType);
    fx.warehouse.write(fx.platform.spark().createDataFrame(List.of(
        RowFactory.create(1L, ts(t - 1_000_000L), 5.0),              // user 1: just now
        RowFactory.create(2L, ts(t - 10L * 86_400_000_000L), 7.0)),  // user 2: ten days ago, long expired
        schema), TableName.parse("raw.events")).commit();
    FeatureStore store = fx.store();
    fx.run("features.apply", store::apply);
    fx.run("features.materialize", r -> store.materialize("spend", 1, OnlineStoreTest.TODAY.minusDays(12),
        OnlineStoreTest.TODAY, r));
    fx.run("features.materialize", r -> store.materialize("blink", 1, OnlineStoreTest.TODAY.minusDays(12),
        OnlineStoreTest.TODAY.plusDays(1), r));
    try (RedisHarness redis = RedisHarness.start()) {
      RedisSettings settings = new RedisSettings(redis.host(), redis.port(), 0, null, null, false, 1000);
      OnlineSync sync = new OnlineSync(fx.warehouse, new FeatureRegistry(fx.warehouse, fx.clock), settings, fx.clock, 100);
      List<SyncResult> results = fx.run("online.sync", r -> sync.syncService("both", null, false, r));
      assertThat(results).extracting(SyncResult::view).containsExactly("blink v1", "spend v1");
      try (OnlineFeatureClient client = OnlineFeatureClient.connect(settings, "test", 2); Jedis jedis = settings.connect()) {
        assertThat(client.get("both", null, Map.of("user_id", 1L)).values()).containsEntry("amount", 5.0);
        assertThat(jedis.exists("test:fv:spend:v1:{2}")).as("user 2's latest spend row is an expiry row").isFalse();
        assertThat(client.get("both", null, Map.of("user_id", 2L)).values()).containsEntry("n_2d", null);
        assertThat(jedis.exists("test:fv:blink:v1:{2}")).as("user 2's event is older than blink's TTL: not written").isFalse();
        // Redis expires the key on its own clock, at the event time plus the view's TTL, however long
        // the Spark steps took: the expiry set is what is checked, not a wait for it.
        long eventMillis = Math.floorDiv(t - 1_000_000L, 1000);
        Expiry expiry = expiry(jedis, "test:fv:blink:v1:{1}");
        assertThat(eventMillis + Duration.ofHours(1).toMillis()).as("the event time plus the view's 1 h, in %s", expiry)
            .isBetween(expiry.earliest(), expiry.latest());
      }
    }
  }

  /** When Redis expires a key: between {@code earliest} and {@code latest}, epoch millis. */
  private record Expiry(long earliest, long latest) {}

  /**
   * When Redis expires {@code key}, from its remaining time (Redis 6 has no PEXPIRETIME): Redis's
   * clock, read right before and right after it in one transaction, brackets the answer.
   */
  private static Expiry expiry(Jedis jedis, String key) {
    Transaction tx = jedis.multi();
    Response<Object> before = tx.sendCommand(Protocol.Command.TIME, new String[0]);
    Response<Long> remaining = tx.pttl(key);
    Response<Object> after = tx.sendCommand(Protocol.Command.TIME, new String[0]);
    tx.exec();
    assertThat(remaining.get()).as("remaining time of " + key).isPositive();
    return new Expiry(millis(before.get()) + remaining.get(), millis(after.get()) + remaining.get());
  }

  /** TIME's reply, seconds and microseconds, as epoch millis. */
  private static long millis(Object time) {
    List<?> parts = (List<?>) time;
    return Long.parseLong(SafeEncoder.encode((byte[]) parts.get(0))) * 1000
        + Long.parseLong(SafeEncoder.encode((byte[]) parts.get(1))) / 1000;
  }
}
