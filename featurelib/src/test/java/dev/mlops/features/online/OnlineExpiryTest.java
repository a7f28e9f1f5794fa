package dev.mlops.features.online;

import static dev.mlops.features.FeatureFixtures.ts;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.tables.TableName;
import dev.mlops.features.FeatureFixtures;
import dev.mlops.features.FeatureStore;
import dev.mlops.features.registry.FeatureRegistry;
import dev.mlops.testkit.RedisHarness;
import java.nio.file.Path;
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

/** Per-view TTL through Redis expiry, and aggregation views' expiry rows. */
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
            ttl: 15s
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
    // A fresh event right before materializing and syncing the 15 s view: Redis expires on its own clock.
    long fresh = OnlineStoreTest.micros(Instant.now());
    fx.warehouse.write(fx.platform.spark().createDataFrame(List.of(RowFactory.create(1L, ts(fresh), 5.0),
        RowFactory.create(2L, ts(t - 10L * 86_400_000_000L), 7.0)), schema), TableName.parse("raw.events")).overwriting(true)
        .commit();
    fx.run("features.materialize", r -> store.materialize("blink", 1, OnlineStoreTest.TODAY.minusDays(12),
        OnlineStoreTest.TODAY.plusDays(1), r));
    try (RedisHarness redis = RedisHarness.start()) {
      RedisSettings settings = new RedisSettings(redis.host(), redis.port(), 0, null, null, false, 1000);
      OnlineSync sync = new OnlineSync(fx.warehouse, new FeatureRegistry(fx.warehouse, fx.clock), settings, fx.clock, 100);
      List<SyncResult> results = fx.run("online.sync", r -> sync.syncService("both", null, false, r));
      assertThat(results).extracting(SyncResult::view).containsExactly("blink v1", "spend v1");
      try (OnlineFeatureClient client = OnlineFeatureClient.connect(settings, "test", 2); Jedis jedis = settings.connect()) {
        assertThat(client.get("both", null, Map.of("user_id", 1L)).values()).containsEntry("amount", 5.0);
        assertThat(jedis.exists("test:fv:spend:v1:2")).as("user 2's latest spend row is an expiry row").isFalse();
        assertThat(client.get("both", null, Map.of("user_id", 2L)).values()).containsEntry("n_2d", null);
        // Redis expires the key 15 s after the fresh event; a slow sync must not shorten the wait.
        long deadline = fresh / 1000 + 25_000;
        while (jedis.exists("test:fv:blink:v1:1") && System.currentTimeMillis() < deadline) {
          Thread.sleep(100);
        }
        assertThat(client.get("both", null, Map.of("user_id", 1L)).values()).as("15 s after its event time")
            .containsEntry("amount", null);
        assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(fresh / 1000 + 14_000);
      }
    }
  }
}
