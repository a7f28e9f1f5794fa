package dev.mlops.features.online;

import static dev.mlops.features.FeatureFixtures.ts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.redis.LocalRedisServer;
import dev.mlops.core.tables.TableName;
import dev.mlops.features.FeatureFixtures;
import dev.mlops.features.FeatureStore;
import dev.mlops.features.registry.FeatureRegistry;
import dev.mlops.features.registry.RegisteredView;
import dev.mlops.testkit.GatedProxy;
import dev.mlops.testkit.LogCapture;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.logging.log4j.Level;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;

/**
 * Redis going away under a sync, and credentials. Where Redis goes away mid-sync, the sync runs
 * through a {@link GatedProxy} that holds it part-way by itself, so the outage falls in the middle
 * of the sync on any machine, rather than wherever a polling loop happened to notice it.
 */
class OnlineFaultsTest {
  static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  static final int USERS = 20_000;
  /**
   * Bytes a sync sends before its proxy holds it: some 500 KB, a few thousand of the 20,000 writes
   * (each at least 150 bytes, with its key twice), past the sync's few metadata commands.
   */
  static final long PART_WAY = 512 * 1024;
  /** A read timeout of held writers: they wait for their replies, since the test releases them within seconds. */
  static final int HELD = 60_000;

  @TempDir static Path dir;
  static FeatureFixtures fx;
  static FeatureStore store;

  @BeforeAll
  static void setUp() {
    fx = new FeatureFixtures(dir, NOW).files(Map.of("repo.yaml", OnlineStoreTest.REPO));
    List<Row> rows = new ArrayList<>();
    long t = OnlineStoreTest.micros(NOW) - 86_400_000_000L;
    for (long u = 1; u <= USERS; u++) {
      rows.add(RowFactory.create(u, ts(t), ts(t), u / 7.0, "tier" + (u % 5), u));
    }
    fx.warehouse.write(fx.platform.spark().createDataFrame(rows, OnlineStoreTest.SCHEMA).repartition(4),
        TableName.parse("raw.profiles")).commit();
    store = fx.store();
    fx.run("features.apply", store::apply);
    fx.run("features.materialize", r -> store.materialize("profile", 1, OnlineStoreTest.TODAY.minusDays(3),
        OnlineStoreTest.TODAY, r));
  }

  static OnlineSync sync(RedisSettings settings, int batch) {
    return new OnlineSync(fx.warehouse, new FeatureRegistry(fx.warehouse, fx.clock), settings, fx.clock, batch);
  }

  /**
   * Every entity hash of profile v1 in the store, by key, without the writing sync's generation
   * ({@code _gen}, another for each sync): its event and created times and its values.
   */
  static Map<String, Map<String, String>> entities(RedisSettings settings) {
    Map<String, Map<String, String>> all = new java.util.HashMap<>();
    try (Jedis jedis = settings.connect()) {
      String cursor = ScanParams.SCAN_POINTER_START;
      do {
        var page = jedis.scan(cursor, new ScanParams().match("test:fv:profile:v1:*").count(1000));
        for (String k : page.getResult()) {
          Map<String, String> fields = jedis.hgetAll(k);
          fields.remove("_gen");
          all.put(k, fields);
        }
        cursor = page.getCursor();
      } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    }
    return all;
  }

  static long keysOf(RedisSettings settings) {
    long n = 0;
    try (Jedis jedis = settings.connect()) {
      String cursor = ScanParams.SCAN_POINTER_START;
      do {
        var page = jedis.scan(cursor, new ScanParams().match("test:fv:profile:v1:*").count(1000));
        n += page.getResult().size();
        cursor = page.getCursor();
      } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    }
    return n;
  }

  static RedisSettings direct(LocalRedisServer server) {
    return new RedisSettings(server.host(), server.port(), 0, null, null, false, 1000);
  }

  @Test
  void aRestartInTheMiddleOfASyncFailsClearlyAndTheReRunConvergesExactly() throws Exception {
    LocalRedisServer first = LocalRedisServer.startOnFreePort();
    LocalRedisServer restarted = null;
    try (GatedProxy proxy = new GatedProxy(first.host(), first.port(), PART_WAY)) {
      RedisSettings settings = new RedisSettings("127.0.0.1", proxy.port(), 0, null, null, false, HELD);
      OnlineSync slow = sync(settings, 5);
      RegisteredView view = new FeatureRegistry(fx.warehouse, fx.clock).view("profile", 1);
      Optional<Long> before = slow.lastSynced(view);
      CompletableFuture<List<SyncResult>> running = CompletableFuture.supplyAsync(
          () -> fx.run("online.sync", r -> slow.syncService("svc", null, false, r)));
      assertThat(proxy.awaitHolding(Duration.ofMinutes(5))).as("the sync sent its first %d bytes", PART_WAY).isTrue();
      assertThat(running.isDone()).as("the sync is held part-way when Redis goes down").isFalse();
      Map<String, Map<String, String>> beforeOutage = entities(direct(first));
      assertThat((long) beforeOutage.size()).as("part of the entities written").isBetween(1L, USERS - 1L);
      first.stop();
      restarted = LocalRedisServer.startOnFreePort(); // the same address to the sync, no data: persistence is off
      proxy.upstream(restarted.host(), restarted.port());
      proxy.release();

      assertThatThrownBy(running::join).hasMessageContaining("lost its data during the sync (restarted?)")
          .hasMessageContaining("re-run the sync");
      assertThat(slow.lastSynced(view)).as("a failed sync records nothing").isEqualTo(before);

      List<SyncResult> rerun = fx.run("online.sync", r -> sync(settings, 500).syncService("svc", null, false, r));
      assertThat(rerun.get(0).mode()).isEqualTo("full");
      assertThat(rerun.get(0).written()).isEqualTo(USERS);
      assertThat(keysOf(settings)).as("every entity, none missing").isEqualTo(USERS);
      Map<String, Map<String, String>> after = entities(settings);
      assertThat(after).as("never older than before the outage: each value written then is there, unchanged")
          .containsAllEntriesOf(beforeOutage);
      try (OnlineFeatureClient client = OnlineFeatureClient.connect(settings, "test", 2)) {
        VerifyResult check = new OnlineVerifier(fx.warehouse, new FeatureRegistry(fx.warehouse, fx.clock), client,
            sync(settings, 500), Clock.systemUTC()).verify("svc", null, 2000, 5, 0.0);
        assertThat(check.entities()).isEqualTo(2000);
        assertThat(check.mismatches()).as("no stale value").isEmpty();
      }
    } finally {
      first.close();
      if (restarted != null) {
        restarted.close();
      }
    }
  }

  @Test
  void aSyncThatDiedLeavesItsMarkerAndTheNextSyncRebuildsEveryExpiry() {
    try (LocalRedisServer own = LocalRedisServer.startOnFreePort()) {
      RedisSettings settings = new RedisSettings(own.host(), own.port(), 0, null, null, false, 1000);
      OnlineSync sync = sync(settings, 500);
      fx.run("online.sync", r -> sync.syncService("svc", null, true, r));
      String metaKey = sync.keys().viewMeta("profile", 1);
      List<String> keys = new ArrayList<>();
      try (Jedis jedis = settings.connect()) {
        // What a job killed between a full write's HSET and its PEXPIREAT leaves: its marker, keys with no expiry.
        jedis.hset(metaKey, OnlineMeta.SYNCING, "dead-run");
        for (long u = 1; u <= 50; u++) {
          String key = sync.keys().entity("profile", 1, List.of(String.valueOf(u)));
          assertThat(jedis.persist(key)).as(key).isEqualTo(1L);
          keys.add(key);
        }
      }

      SyncResult next = fx.run("online.sync", r -> sync.sync("profile", 1, false, r));

      assertThat(next.mode()).isEqualTo("full");
      assertThat(next.reason()).isEqualTo("the sync of run dead-run did not finish");
      assertThat(next.written()).isEqualTo(USERS);
      try (Jedis jedis = settings.connect()) {
        for (String key : keys) {
          assertThat(jedis.pttl(key)).as("expiry of " + key).isPositive();
        }
        assertThat(jedis.hget(metaKey, OnlineMeta.SYNCING)).isNull();
      }
      assertThat(fx.run("online.sync", r -> sync.sync("profile", 1, false, r)).mode()).as("then all is in order")
          .isEqualTo("none");
    }
  }

  @Test
  void aSecondSyncWhileOneHoldsTheViewFailsNamingItAndGoesAheadOnceTheLeaseLapses() {
    try (LocalRedisServer own = LocalRedisServer.startOnFreePort()) {
      RedisSettings settings = new RedisSettings(own.host(), own.port(), 0, null, null, false, 1000);
      OnlineSync sync = sync(settings, 500);
      String lease = sync.keys().syncLease("profile", 1);
      try (Jedis jedis = settings.connect()) {
        jedis.psetex(lease, 600_000, "live-run"); // another driver's, renewed as long as that driver runs
      }
      assertThatThrownBy(() -> fx.run("online.sync", r -> sync.sync("profile", 1, true, r)))
          .hasMessageContaining("another sync (run live-run) is running on it");
      try (Jedis jedis = settings.connect()) {
        assertThat(jedis.get(lease)).as("the refused sync leaves the lease alone").isEqualTo("live-run");
        assertThat(jedis.hget(sync.keys().viewMeta("profile", 1), OnlineMeta.SYNCING)).isNull();
        jedis.pexpire(lease, 1); // that driver died: no more renewals, its lease lapses by Redis's clock
      }
      await(() -> {
        try (Jedis jedis = settings.connect()) {
          return !jedis.exists(lease);
        }
      });
      SyncResult r = fx.run("online.sync", run -> sync.sync("profile", 1, true, run));
      assertThat(r.written()).isEqualTo(USERS);
      try (Jedis jedis = settings.connect()) {
        assertThat(jedis.exists(lease)).as("released when the sync ends").isFalse();
      }
    }
  }

  private static void await(java.util.function.BooleanSupplier condition) {
    long deadline = System.currentTimeMillis() + 10_000;
    while (!condition.getAsBoolean()) {
      assertThat(System.currentTimeMillis()).as("waited 10 s").isLessThan(deadline);
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  @Test
  void aServerThatStaysDownFailsTheSyncAfterItsRetries() throws Exception {
    LocalRedisServer doomed = LocalRedisServer.startOnFreePort();
    try (GatedProxy proxy = new GatedProxy(doomed.host(), doomed.port(), PART_WAY)) {
      RedisSettings settings = new RedisSettings("127.0.0.1", proxy.port(), 0, null, null, false, HELD);
      CompletableFuture<List<SyncResult>> running = CompletableFuture.supplyAsync(
          () -> fx.run("online.sync", r -> sync(settings, 5).syncService("svc", null, true, r)));
      assertThat(proxy.awaitHolding(Duration.ofMinutes(5))).as("the sync sent its first %d bytes", PART_WAY).isTrue();
      doomed.stop();
      proxy.upstreamDown(); // for good: not even another process that took the port meanwhile
      proxy.release();
      assertThatThrownBy(running::join).hasMessageContaining("the Redis server at 127.0.0.1:" + proxy.port()
          + " stayed unreachable after " + RedisWriter.MAX_ATTEMPTS + " attempts");
    } finally {
      doomed.close();
    }
  }

  @Test
  void anAclUserWithAPasswordSyncsAndNoSecretIsLogged() {
    String secret = "acl-pw-8273-Zz";
    LocalRedisServer secured = LocalRedisServer.startOnFreePort();
    try (Jedis admin = new Jedis(secured.host(), secured.port())) {
      admin.aclSetUser("mlops", "on", ">" + secret, "~*", "&*", "+@all");
      admin.aclSetUser("default", "off");
    }
    try (LogCapture logs = LogCapture.at(Level.INFO)) {
      RedisSettings good = new RedisSettings(secured.host(), secured.port(), 0, "mlops", secret, false, 1000);
      SyncResult r = fx.run("online.sync", run -> sync(good, 500).sync("profile", 1, true, run));
      assertThat(r.written()).isEqualTo(USERS);
      RedisSettings wrong = new RedisSettings(secured.host(), secured.port(), 0, "mlops", "not-" + secret, false, 1000);
      assertThatThrownBy(wrong::connect).hasMessageStartingWith("Cannot log in to the online store's Redis server at "
          + secured.host() + ":" + secured.port() + " as mlops: WRONGPASS").message().doesNotContain(secret);
      RedisSettings anonymous = new RedisSettings(secured.host(), secured.port(), 0, null, null, false, 1000);
      assertThatThrownBy(anonymous::connect).hasMessageContaining(":" + secured.port());
      assertThat(String.join("\n", logs.lines()) + good).doesNotContain(secret);
    } finally {
      secured.close();
    }
  }
}
