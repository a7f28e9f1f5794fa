package dev.mlops.features.online;

import static dev.mlops.features.FeatureFixtures.ts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.PlatformException;
import dev.mlops.core.tables.TableName;
import dev.mlops.features.FeatureFixtures;
import dev.mlops.features.FeatureStore;
import dev.mlops.features.registry.FeatureRegistry;
import dev.mlops.testkit.RedisHarness;
import java.nio.file.Path;
import java.sql.Date;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
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
 * What {@code docs/ONLINE_STORE.md} promises of keys and values, read back from a real Redis:
 * a composite key of a string and a bigint, key text percent-encoded, each value type's stored
 * text and its typed read, null as an absent field; and an incremental sync deleting an entity
 * whose rows left the table. Each test syncs a view of its own.
 */
class OnlineEncodingTest {
  static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  static final long DAY_MICROS = 86_400_000_000L;
  static final LocalDate TODAY = NOW.atZone(ZoneOffset.UTC).toLocalDate();
  static final String VIEW = """
        - name: %1$s
          version: 1
          entities: [shop]
          sources: [%1$s_src]
          ttl: 30d
          sql: SELECT region, shop_id, ts, created, rate, open, opened, last_seen, ratio, note FROM %1$s_src
          event-time: ts
          created-time: created
          features:
            - {name: rate, type: float}
            - {name: open, type: boolean}
            - {name: opened, type: date}
            - {name: last_seen, type: timestamp}
            - {name: ratio, type: double}
            - {name: note, type: string}
      """;
  static final String REPO = """
      entities:
        - {name: shop, join-keys: [{name: region, type: string}, {name: shop_id, type: bigint}]}
      sources:
        - {name: typed_src, table: raw.typed, event-time: ts, created-time: created}
        - {name: vanishing_src, table: raw.vanishing, event-time: ts, created-time: created}
      feature-views:
      """ + VIEW.formatted("typed") + VIEW.formatted("vanishing") + """
      feature-services:
        - name: typed_svc
          features: [{view: typed, version: 1, features: ["*"]}]
        - name: vanishing_svc
          features: [{view: vanishing, version: 1, features: ["*"]}]
      """;
  static final StructType SCHEMA = new StructType().add("region", DataTypes.StringType).add("shop_id", DataTypes.LongType)
      .add("ts", DataTypes.TimestampType).add("created", DataTypes.TimestampType).add("rate", DataTypes.FloatType)
      .add("open", DataTypes.BooleanType).add("opened", DataTypes.DateType).add("last_seen", DataTypes.TimestampType)
      .add("ratio", DataTypes.DoubleType).add("note", DataTypes.StringType);
  /** A key value with every reserved character the layout must escape: ':' '/' ' ' '*' and a non-ASCII letter. */
  static final String REGION = "eu:west/1 é*";
  static final long BASE = micros(NOW) - 2 * DAY_MICROS;
  static final long SEEN = 1_764_000_000_123_456L; // microsecond precision

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
    store = fx.store();
    for (String source : List.of("raw.typed", "raw.vanishing")) {
      fx.warehouse.write(fx.platform.spark().createDataFrame(List.<Row>of(), SCHEMA), TableName.parse(source)).overwriting(true)
          .commit();
    }
    fx.run("features.apply", store::apply);
    sync = new OnlineSync(fx.warehouse, new FeatureRegistry(fx.warehouse, fx.clock), redis, fx.clock, 2);
    client = OnlineFeatureClient.connect(redis, "test", 2);
  }

  @AfterAll
  static void tearDown() {
    client.close();
    redisServer.close();
  }

  static long micros(Instant i) {
    return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
  }

  static Row row(String region, long shop, Float rate, Boolean open, Date opened, Long seen, Double ratio, String note) {
    return RowFactory.create(region, shop, ts(BASE), ts(BASE), rate, open, opened, seen == null ? null : ts(seen), ratio, note);
  }

  /** Writes {@code rows} as the source of {@code view}, materializes it and syncs its service. */
  static SyncResult writeAndSync(String view, List<Row> rows) {
    fx.warehouse.write(fx.platform.spark().createDataFrame(rows, SCHEMA), TableName.parse("raw." + view)).overwriting(true)
        .commit();
    fx.run("features.materialize", r -> store.materialize(view, 1, TODAY.minusDays(10), TODAY, r));
    return fx.run("online.sync", r -> sync.syncService(view + "_svc", null, false, r)).get(0);
  }

  @Test
  void compositeStringKeysArePercentEncodedAndEveryTypeReadsBackAsWritten() {
    SyncResult first = writeAndSync("typed", List.of(
        row(REGION, 7, 0.1f, true, Date.valueOf("2026-01-31"), SEEN, Double.NaN, "a b:c"),
        row("us", 8, null, false, null, null, 1.0 / 3, null)));
    assertThat(first.written()).as("written").isEqualTo(2);
    try (Jedis jedis = redis.connect()) {
      assertThat(jedis.keys("test:fv:typed:v1:*")).as("one hash per entity, key values in join-key order, encoded")
          .containsExactlyInAnyOrder("test:fv:typed:v1:{eu%3Awest%2F1%20%C3%A9%2A:7}", "test:fv:typed:v1:{us:8}");
      assertThat(jedis.hgetAll("test:fv:typed:v1:{eu%3Awest%2F1%20%C3%A9%2A:7}")).as("the stored text")
          .containsEntry("rate", "0.1").containsEntry("open", "true").containsEntry("opened", "2026-01-31")
          .containsEntry("last_seen", "1764000000123456").containsEntry("ratio", "NaN").containsEntry("note", "a b:c")
          .containsEntry("_ts", String.valueOf(BASE));
      Map<String, String> nulls = jedis.hgetAll("test:fv:typed:v1:{us:8}");
      assertThat(nulls).as("the stored text").containsEntry("open", "false").containsEntry("ratio", "0.3333333333333333");
      assertThat(nulls).as("null values are absent fields").doesNotContainKeys("rate", "opened", "last_seen", "note");
    }
    FeatureVector v = client.get("typed_svc", null, Map.of("region", REGION, "shop_id", 7L));
    assertThat(v.values()).as("typed values").containsEntry("rate", 0.1f).containsEntry("open", true)
        .containsEntry("opened", LocalDate.of(2026, 1, 31))
        .containsEntry("last_seen", Instant.ofEpochSecond(1_764_000_000L, 123_456_000L)).containsEntry("note", "a b:c");
    assertThat((Double) v.values().get("ratio")).as("NaN").isNaN();
    assertThat(client.get("typed_svc", null, Map.of("region", REGION, "shop_id", "7")).values())
        .as("a key given as text, as the command line gives it").isEqualTo(v.values());
    assertThatThrownBy(() -> client.get("typed_svc", null, Map.of("region", "us", "shop_id", "abc")))
        .as("a key of the wrong type is refused, not answered with an empty vector").isInstanceOf(PlatformException.class)
        .hasMessage("Cannot read view typed v1: join key shop_id is bigint, and \"abc\" is not a bigint, so no entity"
            + " can have it; give an integer such as 42");
    assertThatThrownBy(() -> client.get("typed_svc", null, Map.of("region", 8L, "shop_id", 8L)))
        .hasMessageContaining("join key region is string, and 8 (Long) is not a string");
    FeatureVector w = client.get("typed_svc", null, Map.of("region", "us", "shop_id", 8L));
    assertThat(w.values()).as("typed values").containsEntry("open", false).containsEntry("ratio", 1.0 / 3)
        .containsEntry("rate", null).containsEntry("opened", null).containsEntry("last_seen", null).containsEntry("note", null);
  }

  @Test
  void anIncrementalSyncDeletesTheEntitiesWhoseRowsLeftTheTable() {
    Row stays = row("us", 1, 1.5f, true, null, null, 2.0, "stays");
    Row goes = row("us", 2, 2.5f, false, null, null, 3.0, "goes");
    assertThat(writeAndSync("vanishing", List.of(stays, goes)).mode()).isEqualTo("full");
    try (Jedis jedis = redis.connect()) {
      assertThat(jedis.exists("test:fv:vanishing:v1:{us:2}")).as("synced").isTrue();
    }
    SyncResult incremental = writeAndSync("vanishing", List.of(stays));
    assertThat(incremental.mode()).as("mode").isEqualTo("incremental");
    assertThat(incremental.deleted()).as("deleted").isEqualTo(1);
    assertThat(incremental.written()).as("nothing else changed").isZero();
    try (Jedis jedis = redis.connect()) {
      assertThat(jedis.exists("test:fv:vanishing:v1:{us:2}")).as("the vanished entity's hash").isFalse();
      assertThat(jedis.hget("test:fv:vanishing:v1:{us:1}", "note")).as("the other entity").isEqualTo("stays");
    }
  }
}
