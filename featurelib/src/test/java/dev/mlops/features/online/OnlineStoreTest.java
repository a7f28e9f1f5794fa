package dev.mlops.features.online;

import static dev.mlops.features.FeatureFixtures.ts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.tables.TableName;
import dev.mlops.features.FeatureFixtures;
import dev.mlops.features.FeatureStore;
import dev.mlops.features.registry.FeatureRegistry;
import dev.mlops.testkit.RedisHarness;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/** Syncing, reading and verifying against a real Redis server process. */
class OnlineStoreTest {
  /** Feature times near the real now: Redis expires keys on its own clock. */
  static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  static final long DAY_MICROS = 86_400_000_000L;
  static final LocalDate TODAY = NOW.atZone(ZoneOffset.UTC).toLocalDate();
  static final String REPO = """
      entities:
        - {name: user, join-keys: [{name: user_id, type: bigint}]}
      sources:
        - {name: profiles, table: raw.profiles, event-time: ts, created-time: created}
      feature-views:
        - name: profile
          version: 1
          entities: [user]
          sources: [profiles]
          ttl: 30d
          sql: SELECT user_id, ts, created, score, tier, visits FROM profiles
          event-time: ts
          created-time: created
          features:
            - {name: score, type: double}
            - {name: tier, type: string}
            - {name: visits, type: bigint}
      feature-services:
        - name: svc
          features: [{view: profile, version: 1, features: ["*"]}]
      """;
  static final StructType SCHEMA = new StructType().add("user_id", DataTypes.LongType).add("ts", DataTypes.TimestampType)
      .add("created", DataTypes.TimestampType).add("score", DataTypes.DoubleType).add("tier", DataTypes.StringType)
      .add("visits", DataTypes.LongType);

  @TempDir static Path dir;
  static FeatureFixtures fx;
  static FeatureStore store;
  static RedisHarness redisServer;
  static RedisSettings redis;
  static OnlineSync sync;
  static OnlineFeatureClient client;

  @BeforeAll
  static void setUp() {
    fx = new FeatureFixtures(dir, NOW).files(Map.of("repo.yaml", REPO));
    redisServer = RedisHarness.start();
    redis = new RedisSettings(redisServer.host(), redisServer.port(), 0, null, null, false, 2000);
    long base = micros(NOW) - 3 * DAY_MICROS;
    writeProfiles(List.of(
        RowFactory.create(1L, ts(base), ts(base), 0.5, "gold", 3L),
        RowFactory.create(1L, ts(base + DAY_MICROS), ts(base + DAY_MICROS), 0.75, "gold", 4L),
        RowFactory.create(2L, ts(base), ts(base), 1.0 / 3, "silver", null),
        RowFactory.create(3L, ts(base - 40 * DAY_MICROS), ts(base - 40 * DAY_MICROS), 9.0, "old", 1L))); // expired: ttl 30d
    store = fx.store();
    fx.run("features.apply", store::apply);
    materialize();
    sync = new OnlineSync(fx.warehouse, new FeatureRegistry(fx.warehouse, fx.clock), redis, fx.clock, 2);
    client = OnlineFeatureClient.connect(redis, "test", 4);
  }

  @AfterAll
  static void tearDown() {
    client.close();
    redisServer.close();
  }

  static void writeProfiles(List<Row> rows) {
    fx.warehouse.write(fx.platform.spark().createDataFrame(rows, SCHEMA), TableName.parse("raw.profiles")).overwriting(true)
        .commit();
  }

  static void materialize() {
    fx.run("features.materialize", r -> store.materialize("profile", 1, TODAY.minusDays(60), TODAY, r));
  }

  static List<SyncResult> syncService(boolean full) {
    return fx.run("online.sync", r -> sync.syncService("svc", null, full, r));
  }

  /**
   * A store's life, each step on what the one before left: a first sync, a sync with nothing new,
   * an incremental one, the skew check (passing, then finding a tampered value), the store lost and
   * rebuilt in full, and a full sync deleting an entity that left the table.
   */
  @Test
  void aStoreIsSyncedIncrementallyVerifiedRebuiltAfterALossAndSweptOfVanishedEntities() {
    // 1. A first sync writes each entity's latest row, and readers get typed vectors.
    SyncResult first = syncService(false).get(0);
    assertThat(first.mode()).isEqualTo("full");
    assertThat(first.reason()).isEqualTo("first sync");
    assertThat(first.written()).as("users 1 and 2; user 3's row is older than its TTL").isEqualTo(2);
    assertThat(first.deleted()).isEqualTo(1);

    FeatureVector v1 = client.get("svc", null, Map.of("user_id", 1L));
    assertThat(v1.values()).containsEntry("score", 0.75).containsEntry("tier", "gold").containsEntry("visits", 4L);
    assertThat(v1.eventTimes().get("profile")).isEqualTo(NOW.minus(2, ChronoUnit.DAYS));
    List<FeatureVector> batch = client.getBatch("svc", 1, List.of(Map.of("user_id", "2"), Map.of("user_id", 3L),
        Map.of("user_id", 99L)));
    assertThat(batch.get(0).values()).containsEntry("score", 1.0 / 3).containsEntry("visits", null);
    assertThat(batch.get(1).values()).as("expired").containsEntry("score", null).containsEntry("tier", null);
    assertThat(batch.get(2).eventTimes()).as("unknown entity").isEmpty();

    try (Jedis jedis = redis.connect()) {
      String key = "test:fv:profile:v1:{1}";
      assertThat(jedis.hgetAll(key)).containsEntry("score", "0.75").containsEntry("tier", "gold").containsEntry("visits", "4")
          .containsKey("_ts");
      long pttl = jedis.pttl(key);
      assertThat(pttl).as("expires 30 days after its event time").isBetween(27L * 86_400_000 - 60_000, 28L * 86_400_000 + 60_000);
      assertThat(jedis.hget("test:meta:view:profile:v1", OnlineMeta.VERSION)).isNotNull();
    }
    assertThat(fx.platform.spark().sql("SELECT mode, written FROM features.online_syncs").collectAsList()).hasSize(1);
    // 2. A sync with nothing new writes nothing; an incremental one writes only what changed.
    assertThat(syncService(false).get(0).mode()).isEqualTo("none");
    long base = micros(NOW) - 3 * DAY_MICROS;
    writeProfiles(List.of(
        RowFactory.create(1L, ts(base), ts(base), 0.5, "gold", 3L),
        RowFactory.create(1L, ts(base + DAY_MICROS), ts(base + DAY_MICROS), 0.75, "gold", 4L),
        RowFactory.create(2L, ts(base), ts(base), 1.0 / 3, "silver", null),
        RowFactory.create(2L, ts(base + 2 * DAY_MICROS), ts(base + 2 * DAY_MICROS), 2.5, "gold", 7L),   // new for user 2
        RowFactory.create(3L, ts(base - 40 * DAY_MICROS), ts(base - 40 * DAY_MICROS), 9.0, "old", 1L),
        RowFactory.create(4L, ts(base), ts(base), 4.0, "new", 1L)));                                   // a new user
    materialize(); // rewrites every row of the range: the change feed touches them all
    SyncResult incremental = syncService(false).get(0);
    assertThat(incremental.mode()).isEqualTo("incremental");
    assertThat(incremental.written()).as("only users 2 and 4 changed").isEqualTo(2);
    assertThat(client.get("svc", null, Map.of("user_id", 2L)).values()).containsEntry("score", 2.5).containsEntry("visits", 7L);
    assertThat(client.get("svc", null, Map.of("user_id", 4L)).values()).containsEntry("tier", "new");
    // 3. Verify passes, then finds an injected mismatch.
    OnlineVerifier verifier = new OnlineVerifier(fx.warehouse, new FeatureRegistry(fx.warehouse, fx.clock), client, sync,
        Clock.systemUTC());
    VerifyResult ok = verifier.verify("svc", null, 100, 1, 0.0);
    assertThat(ok.entities()).isEqualTo(4);
    assertThat(ok.mismatches()).isEmpty();
    assertThat(ok.passed()).isTrue();
    try (Jedis jedis = redis.connect()) {
      jedis.hset("test:fv:profile:v1:{4}", "tier", "tampered");
    }
    VerifyResult bad = verifier.verify("svc", null, 100, 1, 0.0);
    assertThat(bad.passed()).isFalse();
    assertThat(bad.mismatches()).containsExactly(new VerifyResult.Mismatch("profile v1", List.of(4L), "tier", "tampered", "new"));
    assertThat(bad.mismatchRate()).isEqualTo(1.0 / 12);
    assertThat(verifier.verify("svc", null, 100, 1, 0.1).passed()).as("within a 10% tolerance").isTrue();
    // 4. A lost store is detected and the next sync rebuilds it in full.
    try (Jedis jedis = redis.connect()) {
      assertThat(jedis.ping()).isEqualTo("PONG");
    }
    redisServer.flushAll(); // as after a restart without persistence
    try (Jedis jedis = redis.connect()) {
      assertThat(jedis.dbSize()).isZero();
    }
    SyncResult rebuilt = syncService(false).get(0);
    assertThat(rebuilt.mode()).isEqualTo("full");
    assertThat(rebuilt.reason()).startsWith("Redis holds no synced version but version");
    assertThat(client.get("svc", null, Map.of("user_id", 4L)).values()).containsEntry("tier", "new");
    assertThat(verifier.verify("svc", null, 100, 1, 0.0).mismatches()).isEmpty();
    // 5. A full sync deletes entities no longer in the table.
    try (Jedis jedis = redis.connect()) {
      jedis.hset("test:fv:profile:v1:{12345}", Map.of("_ts", "1", "tier", "ghost"));
    }
    SyncResult swept = syncService(true).get(0);
    assertThat(swept.mode()).isEqualTo("full");
    try (Jedis jedis = redis.connect()) {
      assertThat(jedis.exists("test:fv:profile:v1:{12345}")).isFalse();
      assertThat(jedis.exists("test:fv:profile:v1:{1}")).isTrue();
    }
  }

  @Test
  void anOlderWriteNeverReplacesANewerValueEvenWhenPartitionsRace() {
    String key = "test:fv:profile:v1:{77}";
    RedisWriter writer = new RedisWriter(redis, new OnlineKeys("test"), "profile", 1, 1,
        new String[] {"score", "tier", "visits"}, 30L * 86_400_000, false, "race", 7,
        fx.platform.spark().sparkContext().longAccumulator(), fx.platform.spark().sparkContext().longAccumulator(),
        fx.platform.spark().sparkContext().longAccumulator());
    // 400 versions of one entity, in random order over four partitions written at once.
    List<Row> rows = new ArrayList<>();
    long base = micros(NOW) - DAY_MICROS;
    for (int i = 0; i < 400; i++) {
      rows.add(RowFactory.create(77L, ts(base + i * 1_000_000L), ts(base + i * 1_000_000L), false, (double) i, "t" + i, (long) i));
    }
    java.util.Collections.shuffle(rows, new java.util.Random(3));
    StructType layout = new StructType().add("user_id", DataTypes.LongType).add("feature_ts", DataTypes.TimestampType)
        .add("created_ts", DataTypes.TimestampType).add("_delete", DataTypes.BooleanType).add("score", DataTypes.DoubleType)
        .add("tier", DataTypes.StringType).add("visits", DataTypes.LongType);
    Dataset<Row> df = fx.platform.spark().createDataFrame(rows, layout).repartition(4);
    df.foreachPartition(writer);
    try (Jedis jedis = redis.connect()) {
      assertThat(jedis.hget(key, "score")).isEqualTo("399.0");
      assertThat(jedis.hget(key, "tier")).isEqualTo("t399");
      // An older value sent afterwards is refused.
      fx.platform.spark().createDataFrame(List.of(RowFactory.create(77L, ts(base), ts(base), false, -1.0, "stale", 0L)), layout)
          .foreachPartition(writer);
      assertThat(jedis.hget(key, "tier")).isEqualTo("t399");
      jedis.del(key);
    }
  }

  @Test
  void aServerThatIsDownIsNamedWithHostAndPort() throws Exception {
    // A port bound and held but not listening: connections to it are refused, and no other process
    // can start listening on it while the test runs (a port found free and closed could be taken).
    try (java.net.Socket reserved = new java.net.Socket()) {
      reserved.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
      int port = reserved.getLocalPort();
      RedisSettings down = new RedisSettings("127.0.0.1", port, 0, "app", "s3cret-pw", false, 500);
      OnlineSync failing = new OnlineSync(fx.warehouse, new FeatureRegistry(fx.warehouse, fx.clock), down, fx.clock, 10);
      assertThatThrownBy(() -> fx.run("online.sync", r -> failing.sync("profile", 1, false, r)))
          .hasMessageStartingWith("Cannot reach the online store's Redis server at 127.0.0.1:" + port)
          .message().doesNotContain("s3cret-pw");
      assertThatThrownBy(() -> OnlineFeatureClient.connect(down, "test", 1))
          .hasMessageStartingWith("Cannot reach the online store's Redis server at 127.0.0.1:" + port);
    }
  }

  static long micros(Instant i) {
    return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
  }
}
