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
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * An incremental sync of a view with many features of one type (as the demo's customer_spend has,
 * eleven doubles and ten longs): it writes the changed and new entities, deletes the one that left
 * the table, skips the unchanged one, and plans in seconds (the plan it replaced grew
 * exponentially with such features in the optimizer and ran a 1.5 GB driver out of memory).
 */
class OnlineIncrementalSyncTest {
  static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  static final LocalDate TODAY = NOW.atZone(ZoneOffset.UTC).toLocalDate();
  static final int FEATURES = 12;

  @TempDir static Path dir;
  static FeatureFixtures fx;
  static FeatureStore store;
  static RedisHarness redisServer;
  static OnlineSync sync;

  static String repo() {
    List<String> names = new ArrayList<>();
    StringBuilder features = new StringBuilder();
    for (int i = 0; i < FEATURES; i++) {
      names.add("f" + i);
      features.append("      - {name: f").append(i).append(", type: double}\n");
    }
    return """
        entities:
          - {name: user, join-keys: [{name: user_id, type: bigint}]}
        sources:
          - {name: wide, table: raw.wide, event-time: ts}
        feature-views:
          - name: wide
            version: 1
            entities: [user]
            sources: [wide]
            ttl: 30d
            sql: SELECT user_id, ts, %s FROM wide
            event-time: ts
            features:
        %s
        feature-services:
          - name: wide_svc
            features: [{view: wide, version: 1, features: ["*"]}]
        """.formatted(String.join(", ", names), features.toString().stripTrailing());
  }

  @BeforeAll
  static void setUp() {
    fx = new FeatureFixtures(dir, NOW).files(Map.of("repo.yaml", repo()));
    redisServer = RedisHarness.start();
    RedisSettings redis = new RedisSettings(redisServer.host(), redisServer.port(), 0, null, null, false, 2000);
    store = fx.store();
    sync = new OnlineSync(fx.warehouse, new FeatureRegistry(fx.warehouse, fx.clock), redis, fx.clock, 2);
  }

  @AfterAll
  static void tearDown() {
    redisServer.close();
  }

  /** Users and the value of all their features, a day before now, materialized. */
  static void write(Map<Long, Double> users) {
    writeRaw(users);
    materialize();
  }

  static void materialize() {
    fx.run("features.materialize", r -> store.materialize("wide", 1, TODAY.minusDays(5), TODAY, r));
  }

  static void writeRaw(Map<Long, Double> users) {
    StructType schema = new StructType().add("user_id", DataTypes.LongType).add("ts", DataTypes.TimestampType);
    for (int i = 0; i < FEATURES; i++) {
      schema = schema.add("f" + i, DataTypes.DoubleType);
    }
    List<Row> rows = new ArrayList<>();
    long day = (NOW.getEpochSecond() - 86_400) * 1_000_000L;
    users.forEach((user, value) -> {
      Object[] row = new Object[FEATURES + 2];
      row[0] = user;
      row[1] = ts(day);
      java.util.Arrays.fill(row, 2, row.length, value);
      rows.add(RowFactory.create(row));
    });
    fx.warehouse.write(fx.platform.spark().createDataFrame(rows, schema).repartition(3), TableName.parse("raw.wide"))
        .overwriting(true).commit();
  }

  @Test
  void anIncrementalSyncWritesTheChangedEntitiesDeletesTheVanishedOneAndPlansQuickly() {
    writeRaw(Map.of(1L, 1.0, 2L, 2.0, 3L, 3.0));
    fx.run("features.apply", store::apply);
    materialize();
    assertThat(fx.run("online.sync", r -> sync.sync("wide", 1, false, r)).mode()).isEqualTo("full");

    write(Map.of(1L, 1.0, 2L, 20.0, 4L, 4.0)); // 1 unchanged, 2 changed, 3 gone, 4 new
    long started = System.nanoTime();
    SyncResult incremental = fx.run("online.sync", r -> sync.sync("wide", 1, false, r));
    long seconds = (System.nanoTime() - started) / 1_000_000_000L;

    assertThat(incremental.mode()).isEqualTo("incremental");
    assertThat(incremental.written()).as("users 2 and 4 written, user 3 deleted").isEqualTo(2);
    assertThat(incremental.deleted()).as("user 3").isEqualTo(1);
    assertThat(seconds).as("seconds to plan and run the incremental sync of " + FEATURES + " doubles").isLessThan(60);
    try (Jedis jedis = new RedisSettings(redisServer.host(), redisServer.port(), 0, null, null, false, 2000).connect()) {
      String prefix = "test:fv:wide:v1:";
      assertThat(jedis.hget(prefix + "{1}", "f0")).isEqualTo("1.0");
      assertThat(jedis.hget(prefix + "{2}", "f" + (FEATURES - 1))).isEqualTo("20.0");
      assertThat(jedis.hget(prefix + "{4}", "f3")).isEqualTo("4.0");
      assertThat(jedis.exists(prefix + "{3}")).as("user 3 left the table").isFalse();
    }
  }
}
