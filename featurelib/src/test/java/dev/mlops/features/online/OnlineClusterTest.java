package dev.mlops.features.online;

import static dev.mlops.features.FeatureFixtures.ts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.config.RedisConfig;
import dev.mlops.core.redis.LocalRedisCluster;
import dev.mlops.core.tables.TableName;
import dev.mlops.features.FeatureFixtures;
import dev.mlops.features.FeatureStore;
import dev.mlops.features.registry.FeatureRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientPauseMode;
import redis.clients.jedis.UnifiedJedis;

/**
 * The online store on a real Redis Cluster of three master processes on loopback (one cluster
 * for the class): sync, reads, verify, the guard under racing writers, the move from key layout
 * 1, and a master lost and replaced in the middle of a sync.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the store's life first: it reads setUp's raw rows as they are
class OnlineClusterTest {
  static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  static final long DAY_MICROS = 86_400_000_000L;
  static final LocalDate TODAY = NOW.atZone(ZoneOffset.UTC).toLocalDate();
  static final int USERS = 300;
  static final String REPO = """
      entities:
        - {name: user, join-keys: [{name: user_id, type: bigint}]}
      sources:
        - {name: profiles, table: raw.profiles, event-time: ts}
      feature-views:
        - name: profile
          version: 1
          entities: [user]
          sources: [profiles]
          ttl: 30d
          sql: SELECT user_id, ts, score, tier FROM profiles
          event-time: ts
          features:
            - {name: score, type: double}
            - {name: tier, type: string}
        - name: activity
          version: 1
          entities: [user]
          sources: [profiles]
          ttl: 30d
          sql: SELECT user_id, ts, visits FROM profiles
          event-time: ts
          features:
            - {name: visits, type: bigint}
      feature-services:
        - name: svc
          features: [{view: profile, version: 1, features: ["*"]}, {view: activity, version: 1, features: ["*"]}]
      """;
  static final StructType SCHEMA = new StructType().add("user_id", DataTypes.LongType).add("ts", DataTypes.TimestampType)
      .add("score", DataTypes.DoubleType).add("tier", DataTypes.StringType).add("visits", DataTypes.LongType);

  @TempDir static Path dir;
  static FeatureFixtures fx;
  static FeatureStore store;
  static LocalRedisCluster cluster;
  static RedisSettings redis;
  /** What raw.profiles holds, as {@link #writeRaw} wrote it last. */
  static String rawHolds;

  @BeforeAll
  static void setUp() {
    fx = new FeatureFixtures(dir, NOW).files(Map.of("repo.yaml", REPO));
    cluster = LocalRedisCluster.start(3);
    // As the CLI gets them: redis.mode: cluster with the seed nodes.
    redis = RedisSettings.of(RedisConfig.defaults().withClusterNodes(cluster.nodes()));
    writeRaw(USERS, 0);
    store = fx.store();
    fx.run("features.apply", store::apply);
  }

  @AfterAll
  static void tearDown() {
    cluster.close();
  }

  /** {@code users} users with event times a day apart per {@code generation}; user u's values derive from u and it. */
  static void writeProfiles(int users, int generation) {
    writeRaw(users, generation);
    fx.run("features.materialize", r -> store.materialize("profile", 1, TODAY.minusDays(10), TODAY, r));
    fx.run("features.materialize", r -> store.materialize("activity", 1, TODAY.minusDays(10), TODAY, r));
  }

  static void writeRaw(int users, int generation) {
    String wanted = users + " users, generation " + generation;
    if (wanted.equals(rawHolds)) {
      return; // setUp wrote these rows already: one commit fewer
    }
    rawHolds = wanted;
    long base = micros(NOW) - 5 * DAY_MICROS + generation * DAY_MICROS;
    List<Row> rows = new ArrayList<>();
    for (long u = 1; u <= users; u++) {
      rows.add(RowFactory.create(u, ts(base - u), u * 0.25 + generation, "t" + (u % 7), u * 10 + generation));
    }
    fx.warehouse.write(fx.platform.spark().createDataFrame(rows, SCHEMA).repartition(3), TableName.parse("raw.profiles"))
        .overwriting(true).commit();
  }

  static OnlineSync sync(int batch) {
    return new OnlineSync(fx.warehouse, new FeatureRegistry(fx.warehouse, fx.clock), redis, fx.clock, batch);
  }

  static List<SyncResult> syncService(OnlineSync sync, boolean full) {
    return fx.run("online.sync", r -> sync.syncService("svc", null, full, r));
  }

  static VerifyResult verify(OnlineFeatureClient client, OnlineSync sync) {
    return new OnlineVerifier(fx.warehouse, new FeatureRegistry(fx.warehouse, fx.clock), client, sync, fx.clock)
        .verify("svc", null, USERS, 7, 0.0);
  }

  /**
   * A store's life on the cluster: a full sync spread over the three masters, an entity's views in
   * one slot, batch reads split by node, verify, an incremental sync deleting a vanished entity,
   * and a view in key layout 1 rebuilt and swept.
   */
  @Test
  @Order(1)
  void aStoreIsSyncedReadVerifiedAndKeptCurrentOnTheCluster() {
    writeProfiles(USERS, 0);
    OnlineSync sync = sync(16);
    List<SyncResult> first = syncService(sync, true);
    assertThat(first).extracting(SyncResult::mode).containsOnly("full");
    assertThat(first).extracting(SyncResult::written).containsOnly((long) USERS);
    for (int i = 0; i < 3; i++) {
      try (Jedis node = new Jedis(cluster.master(i).host(), cluster.master(i).port())) {
        assertThat(node.dbSize()).as("master " + i + " holds a share of the entities").isGreaterThan(100);
      }
    }
    String profileKey = sync.keys().entity("profile", 1, List.of("42"));
    assertThat(profileKey).isEqualTo("test:fv:profile:v1:{42}");
    assertThat(ClusterTopology.slot(profileKey)).as("one entity's views share a slot")
        .isEqualTo(ClusterTopology.slot(sync.keys().entity("activity", 1, List.of("42"))));

    try (OnlineFeatureClient client = OnlineFeatureClient.connect(redis, "test", 2)) {
      List<Map<String, Long>> keys = new ArrayList<>();
      for (long u = 1; u <= 100; u++) {
        keys.add(Map.of("user_id", u * 3));
      }
      List<FeatureVector> batch = client.getBatch("svc", null, keys);
      for (int e = 0; e < 100; e++) {
        long u = (e + 1) * 3L;
        Map<String, Object> expected = new HashMap<>();
        expected.put("score", u <= USERS ? u * 0.25 : null);
        expected.put("tier", u <= USERS ? "t" + (u % 7) : null);
        expected.put("visits", u <= USERS ? u * 10 : null);
        assertThat(batch.get(e).values()).as("user " + u).isEqualTo(expected);
      }
      VerifyResult ok = verify(client, sync);
      assertThat(ok.entities()).as("both views, every user").isEqualTo(2L * USERS);
      assertThat(ok.mismatches()).as("online equals offline").isEmpty();

      writeProfiles(USERS - 1, 1); // user 300 vanishes, every other one changes
      List<SyncResult> next = syncService(sync, false);
      assertThat(next).extracting(SyncResult::mode).containsOnly("incremental");
      assertThat(next).extracting(SyncResult::written).containsOnly((long) USERS - 1);
      assertThat(next).extracting(SyncResult::deleted).containsOnly(1L);
      assertThat(client.get("svc", null, Map.of("user_id", 300L)).eventTimes()).as("vanished").isEmpty();
      assertThat(client.get("svc", null, Map.of("user_id", 5L)).values()).containsEntry("visits", 51L)
          .containsEntry("score", 2.25);

      // A view written by an older version (layout 1: no hash tag) is rebuilt and its old keys swept.
      try (UnifiedJedis jedis = redis.open()) {
        jedis.hset("test:fv:profile:v1:7", Map.of("_ts", "1", "score", "-1"));
        jedis.hdel("test:meta:view:profile:v1", OnlineMeta.LAYOUT);
        SyncResult migrated = fx.run("online.sync", r -> sync.sync("profile", 1, false, r));
        assertThat(migrated.mode()).isEqualTo("full");
        assertThat(migrated.reason()).startsWith("the entities are in key layout 1, this version writes layout 2");
        assertThat(migrated.deleted()).as("the layout-1 key").isEqualTo(1);
        assertThat(jedis.exists("test:fv:profile:v1:7")).isFalse();
      }
      assertThat(client.get("svc", null, Map.of("user_id", 7L)).values()).as("rewritten in layout 2")
          .containsEntry("score", 2.75);
    }
  }

  /**
   * A slot moved under a client with an old slot map: while it migrates, a key already moved is
   * answered with ASK and fetched from the new node; once moved, MOVED makes the client re-read
   * the map.
   */
  @Test
  void askAndMovedRedirectionsAreFollowed() {
    try (ClusterPipelines pipelines = new ClusterPipelines(redis, 1, null)) {
      String first = "redirect:{r}:1";
      String second = "redirect:{r}:2";
      int slot = ClusterTopology.slot(first);
      pipelines.run(List.of(new RedisWriter.ReadCall(first, p -> p.set(first, "one")),
          new RedisWriter.ReadCall(second, p -> p.set(second, "two"))));
      redis.clients.jedis.HostAndPort from = pipelines.topology().master(slot);
      redis.clients.jedis.HostAndPort to = ClusterTopology.read(redis, List.of()).masters().stream()
          .filter(n -> !n.equals(from)).findFirst().orElseThrow();
      try (Jedis source = new Jedis(from); Jedis target = new Jedis(to)) {
        target.clusterSetSlotImporting(slot, source.clusterMyId());
        source.clusterSetSlotMigrating(slot, target.clusterMyId());
        source.migrate(to.getHost(), to.getPort(), second, 0, 2000);
        Object[] during = pipelines.run(List.of(new RedisWriter.ReadCall(first, p -> p.get(first)),
            new RedisWriter.ReadCall(second, p -> p.get(second))));
        assertThat(during).as("one key still on the old node, one fetched after ASK").containsExactly("one", "two");

        source.migrate(to.getHost(), to.getPort(), first, 0, 2000);
        for (int i = 0; i < cluster.size(); i++) {
          try (Jedis node = new Jedis(cluster.master(i).host(), cluster.master(i).port())) {
            node.clusterSetSlotNode(slot, target.clusterMyId());
          }
        }
      }
      Object[] after = pipelines.run(List.of(new RedisWriter.ReadCall(first, p -> p.get(first)),
          new RedisWriter.ReadCall(second, p -> p.get(second))));
      assertThat(after).as("both read after MOVED").containsExactly("one", "two");
      assertThat(pipelines.topology().master(slot)).as("the slot map was re-read").isEqualTo(to);
    }
  }

  /** Four writers race on the same entities with shuffled event times: each keeps its newest value. */
  @Test
  void theGuardKeepsTheNewestValueUnderRacingWriters() throws Exception {
    int entities = 60;
    int writers = 4;
    OnlineKeys keys = new OnlineKeys("race");
    long base = micros(NOW) - DAY_MICROS;
    Map<Long, Long> newest = new HashMap<>();
    List<List<Row>> perWriter = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(11);
    for (int w = 0; w < writers; w++) {
      List<Row> rows = new ArrayList<>();
      for (long e = 0; e < entities; e++) {
        long t = base + random.nextLong(1_000_000_000L);
        rows.add(RowFactory.create(e, ts(t), null, false, (double) t));
        newest.merge(e, t, Math::max);
      }
      java.util.Collections.shuffle(rows, new java.util.Random(w));
      perWriter.add(rows);
    }
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<?>> running = new ArrayList<>();
      for (List<Row> rows : perWriter) {
        RedisWriter writer = new RedisWriter(redis, keys, "v", 1, 1, new String[] {"x"}, 86_400_000L, false, "race-run", 7,
            new LongAccumulator(), new LongAccumulator(), new LongAccumulator());
        running.add(pool.submit(() -> {
          writer.call(rows.iterator());
          return null;
        }));
      }
      for (Future<?> f : running) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    try (UnifiedJedis jedis = redis.open()) {
      for (long e = 0; e < entities; e++) {
        Map<String, String> stored = jedis.hgetAll(keys.entity("v", 1, List.of(String.valueOf(e))));
        assertThat(stored.get("_ts")).as("entity " + e + ": the newest event time").isEqualTo(String.valueOf(newest.get(e)));
        assertThat(Double.parseDouble(stored.get("x"))).as("entity " + e + ": the newest row's value")
            .isEqualTo((double) newest.get(e));
      }
    }
  }

  /**
   * A master is killed and replaced by an empty one while a sync writes: the sync fails, naming the
   * cause; the next one rebuilds in full and verify finds every value.
   */
  @Test
  @Order(2)
  void aMasterReplacedDuringASyncFailsItClearlyAndTheNextSyncRebuilds() throws Exception {
    for (int i = 0; i < 3; i++) {
      try (Jedis node = new Jedis(cluster.master(i).host(), cluster.master(i).port())) {
        node.flushAll();
      }
    }
    writeProfiles(5 * USERS, 2);
    OnlineSync sync = sync(1);
    String meta = sync.keys().viewMeta("activity", 1);
    int victim = nodeNotHolding(meta);
    try (OnlineFeatureClient before = OnlineFeatureClient.connect(redis, "test", 2)) {
      CompletableFuture<List<SyncResult>> running = CompletableFuture.supplyAsync(() -> syncService(sync, true));
      // Activity is the service's last view: had the master gone after an earlier view's sync
      // ended, the next view's sync would fail at its start (the store unreachable), not mid-write.
      // Writes are paused on every master as soon as some are seen, so that the sync is still
      // writing when the master goes (replacing it takes longer than the rest of the writes).
      awaitWritesOf("activity", running);
      pauseWrites(true);
      cluster.replace(victim);
      pauseWrites(false);
      assertThatThrownBy(running::join).as("the sync saw the master go").hasMessageContaining("re-run the sync")
          .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("changed during the sync", "lost its data during the sync"));

      List<SyncResult> again = syncService(sync(16), false);
      assertThat(again).extracting(SyncResult::mode).containsOnly("full");
      try (OnlineFeatureClient client = OnlineFeatureClient.connect(redis, "test", 2)) {
        assertThat(verify(client, sync).mismatches()).as("converged after the re-run").isEmpty();
      }
      assertThat(verify(before, sync).mismatches()).as("a client that knew the old master reads from the new one")
          .isEmpty();
    }
  }

  /** The index of a master that does not serve {@code key}. */
  static int nodeNotHolding(String key) {
    try (UnifiedJedis jedis = redis.open()) {
      jedis.hset("probe:" + key, "x", "1");
    }
    ClusterTopology map = ClusterTopology.read(redis, List.of());
    String owner = map.masterOf(key).toString();
    for (int i = 0; i < 3; i++) {
      if (!cluster.nodes().get(i).equals(owner)) {
        return i;
      }
    }
    throw new IllegalStateException("one master serves every slot");
  }

  /** Pauses (for at most 10 s) or resumes clients' writes on every master. */
  static void pauseWrites(boolean pause) {
    for (int i = 0; i < 3; i++) {
      try (Jedis node = new Jedis(cluster.master(i).host(), cluster.master(i).port())) {
        if (pause) {
          node.clientPause(10_000, ClientPauseMode.WRITE);
        } else {
          node.clientUnpause();
        }
      }
    }
  }

  /** Waits until the running sync has written some entities of {@code view} (or ended). */
  static void awaitWritesOf(String view, CompletableFuture<?> running) throws InterruptedException {
    while (!running.isDone()) {
      long keys = 0;
      for (int i = 0; i < 3; i++) {
        try (Jedis node = new Jedis(cluster.master(i).host(), cluster.master(i).port())) {
          keys += node.keys("test:fv:" + view + ":v1:{*").size();
        }
      }
      if (keys > 20) {
        return;
      }
      Thread.sleep(2);
    }
    assertThat(running).as("the sync ended before a master could be replaced").isNotDone();
  }

  static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
  }
}
