package dev.mlops.benchmarks;

import dev.mlops.core.runs.RunRecorder;
import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.features.FeatureStore;
import dev.mlops.features.online.FeatureVector;
import dev.mlops.features.online.OnlineFeatureClient;
import dev.mlops.features.online.OnlineSync;
import dev.mlops.features.online.RedisSettings;
import dev.mlops.features.online.SyncResult;
import dev.mlops.features.registry.FeatureRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * {@code mlops bench online}, on a warehouse and Redis key space of its own (project
 * {@value #PROJECT}):
 *
 * <ol>
 *   <li><b>Sync throughput</b>: a full {@link OnlineSync} of a feature view of N entities x 20
 *       double features (read from Delta, latest row per entity, guarded upserts from the
 *       executors, sweep), against the same client (Jedis) writing the same hashes (the 20 values,
 *       the event time, an expiry) in tight pipelined loops on as many connections as the sync's
 *       concurrent tasks, no Spark.
 *   <li><b>Read latency</b>: {@link OnlineFeatureClient} vectors (decoded, typed) of one random
 *       entity and of batches of 100, one thread over loopback, against a bare pipelined
 *       {@code HMGET} of the same fields through a pool of the same size. Percentiles per call;
 *       every vector read (warm-up included) compared with its entity's offline row.
 * </ol>
 *
 * <p>{@link #compareNodes} ({@code --cluster}) runs the same sync and reads on a Redis Cluster and
 * on one node, side by side: the one node is the baseline.
 */
public final class OnlineBenchmark {
  public static final String PROJECT = "bench";
  static final String VIEW = "bench_vector";
  static final String SERVICE = "bench_online";
  static final TableName SOURCE = TableName.parse("bench.online_source");
  static final int FEATURES = 20;
  static final String[] FEATURE_NAMES = IntStream.range(0, FEATURES).mapToObj(j -> String.format("f%02d", j))
      .toArray(String[]::new);

  private final Warehouse warehouse;
  private final RunRecorder runs;
  private final RedisSettings redis;
  private final Path repoDir;
  private final int batchSize;

  /**
   * @param warehouse the benchmark's own warehouse (project {@value #PROJECT})
   * @param runs run records in that warehouse
   * @param redis the Redis server to measure
   * @param repoDir a local folder for the benchmark's feature definitions
   * @param batchSize writes per pipelined batch, for the sync and the raw loop alike
   */
  public OnlineBenchmark(Warehouse warehouse, RunRecorder runs, RedisSettings redis, Path repoDir, int batchSize) {
    if (!PROJECT.equals(warehouse.config().project())) {
      throw new IllegalArgumentException("the online benchmark needs a warehouse of project " + PROJECT);
    }
    this.warehouse = warehouse;
    this.runs = runs;
    this.redis = redis;
    this.repoDir = repoDir;
    this.batchSize = batchSize;
  }

  /** Measures a sync of {@code entities} entities, then {@code reads} single reads and {@code reads / 10} batches. */
  public void run(long entities, int reads, Consumer<String> progress, Consumer<BenchResult> report) {
    LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(1);
    progress.accept("generating and materializing " + entities + " entities x " + FEATURES + " features");
    prepare(entities, day);
    long expireAt = day.plusDays(30).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    progress.accept("raw: pipelined HSET + PEXPIREAT of the same hashes, " + connections() + " connections");
    double raw = rawSeconds(entities, expireAt);
    // Each variant runs twice and the faster run counts, as the raw loop does: the first run of
    // each also pays for loading and compiling its code.
    Timer.Timed<List<SyncResult>> first = null;
    Timer.Timed<List<SyncResult>> again = null;
    for (int run = 1; run <= 2; run++) {
      progress.accept("ours: first sync into an empty store (run " + run + " of 2)");
      deleteKeys(PROJECT + ":*");
      first = Timer.fastest(first, timedSync(entities));
      progress.accept("ours: full re-sync over the synced keys, with the sweep for stale entities (run " + run + " of 2)");
      again = Timer.fastest(again, timedSync(entities));
    }
    progress.accept("raw again (the faster of the two raw runs counts)");
    raw = Math.min(raw, rawSeconds(entities, expireAt));
    report.accept(syncCase("online first sync " + FEATURES + " features", first, entities, raw));
    report.accept(syncCase("online full re-sync " + FEATURES + " features", again, entities, raw));
    progress.accept("reading the offline rows, to compare every vector read with");
    double[] offline = offlineValues(entities);
    try (OnlineFeatureClient client = OnlineFeatureClient.connect(redis, PROJECT, 4);
        JedisPooled pool = redis.pool(4)) {
      progress.accept("read latency: one entity");
      report.accept(latency("online read 1 entity", client, pool, offline, 1, reads));
      progress.accept("read latency: batches of 100 entities");
      report.accept(latency("online read 100 entities", client, pool, offline, 100, Math.max(100, reads / 10)));
    }
  }

  /**
   * {@code bench online --cluster}: a full sync (into an empty store, then over the synced keys)
   * and single and batch reads, on {@code cluster} and on {@code single} alternately, reported
   * with the one node as the baseline, after an untimed sync on the one node that warms
   * the sync's code. Both key spaces must be empty (servers of the benchmark's own).
   */
  public static void compareNodes(Warehouse warehouse, RunRecorder runs, RedisSettings single, RedisSettings cluster,
      Path repoDir, int batchSize, long entities, int reads, Consumer<String> progress, Consumer<BenchResult> report) {
    OnlineBenchmark one = new OnlineBenchmark(warehouse, runs, single, repoDir, batchSize);
    OnlineBenchmark many = new OnlineBenchmark(warehouse, runs, cluster, repoDir, batchSize);
    progress.accept("generating and materializing " + entities + " entities x " + FEATURES + " features");
    one.prepare(entities, LocalDate.now(ZoneOffset.UTC).minusDays(1));
    String nodes = cluster.clusterNodes().size() + "-master cluster";
    // Untimed: the one node, measured first, would otherwise also pay for loading and compiling
    // the sync's code. Its keys are deleted after, so that its first sync starts from nothing.
    progress.accept("warming up: a sync on one node, then its keys deleted");
    one.timedSync(entities);
    one.deleteKeys(PROJECT + ":*");
    for (String pass : List.of("first sync", "full re-sync")) {
      progress.accept(pass + ": one node");
      double[] cpu0 = redisCpuSeconds(single);
      double client0 = clientCpuSeconds();
      Timer.Timed<List<SyncResult>> base = one.timedSync(entities);
      double baseClient = clientCpuSeconds() - client0;
      double baseCpu = busiest(cpu0, redisCpuSeconds(single));
      progress.accept(pass + ": " + nodes);
      double[] cpu1 = redisCpuSeconds(cluster);
      double client1 = clientCpuSeconds();
      Timer.Timed<List<SyncResult>> ours = many.timedSync(entities);
      double oursClient = clientCpuSeconds() - client1;
      double[] cpu2 = redisCpuSeconds(cluster);
      double oursCpu = busiest(cpu1, cpu2);
      double oursCpuAll = total(cpu1, cpu2);
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("baseline", "the same sync on one Redis node");
      d.put("identical_output", true);
      d.put("compared", "entities written, both equal to the source's (else the run fails)");
      d.put("redis", nodes);
      d.put("features", FEATURES);
      d.put("entities_per_second", Math.round(entities / ours.seconds()));
      d.put("baseline_entities_per_second", Math.round(entities / base.seconds()));
      d.put("redis_cpu_seconds_busiest_node", Math.round(oursCpu * 100) / 100.0);
      d.put("redis_cpu_seconds_all_nodes", Math.round(oursCpuAll * 100) / 100.0);
      d.put("baseline_redis_cpu_seconds", Math.round(baseCpu * 100) / 100.0);
      // The benchmark's JVM: Spark's driver and executors, the sync's writers among them.
      d.put("client_cpu_seconds", Math.round(oursClient * 100) / 100.0);
      d.put("baseline_client_cpu_seconds", Math.round(baseClient * 100) / 100.0);
      d.put("batch", batchSize);
      report.accept(new BenchResult("online cluster " + pass + " " + FEATURES + " features", entities, ours.seconds(),
          base.seconds(), d));
    }
    compareReads(single, cluster, nodes, entities, reads, progress, report);
  }

  /** Single and batch read latencies on {@code cluster} against the one node, after the syncs. */
  private static void compareReads(RedisSettings single, RedisSettings cluster, String nodes, long entities, int reads,
      Consumer<String> progress, Consumer<BenchResult> report) {
    try (OnlineFeatureClient oneClient = OnlineFeatureClient.connect(single, PROJECT, 4);
        OnlineFeatureClient manyClient = OnlineFeatureClient.connect(cluster, PROJECT, 4)) {
      for (int batch : List.of(1, 100)) {
        int calls = batch == 1 ? reads : Math.max(100, reads / 10);
        progress.accept("read latency, " + batch + " entities per call: one node, then the cluster");
        long[] base = readLatencies(oneClient, entities, batch, calls);
        long[] ours = readLatencies(manyClient, entities, batch, calls);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("baseline", "the same reads on one Redis node");
        d.put("identical_output", true);
        d.put("compared", "no vector read empty on either (else the run fails)");
        d.put("redis", nodes);
        putLatencies(d, calls, batch, ours, base);
        report.accept(new BenchResult("online cluster read " + batch + " entit" + (batch == 1 ? "y" : "ies"),
            (long) calls * batch, Arrays.stream(ours).sum() / 1e9, Arrays.stream(base).sum() / 1e9, d));
      }
    }
  }

  /** Each node's Redis CPU time so far ({@code used_cpu_user + used_cpu_sys} of {@code INFO cpu}). */
  private static double[] redisCpuSeconds(RedisSettings redis) {
    List<String> nodes = redis.isCluster() ? redis.clusterNodes() : List.of(redis.address());
    double[] out = new double[nodes.size()];
    for (int i = 0; i < nodes.size(); i++) {
      try (Jedis jedis = new Jedis(HostAndPort.from(nodes.get(i)))) {
        for (String line : jedis.info("cpu").split("\r?\n")) {
          if (line.startsWith("used_cpu_user:") || line.startsWith("used_cpu_sys:")) {
            out[i] += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
          }
        }
      }
    }
    return out;
  }

  /** The CPU time this JVM has used so far, in all its threads. */
  private static double clientCpuSeconds() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime() / 1e9;
  }

  /** The sum of the per-node differences between two {@link #redisCpuSeconds} readings. */
  private static double total(double[] before, double[] after) {
    double sum = 0;
    for (int i = 0; i < before.length; i++) {
      sum += after[i] - before[i];
    }
    return sum;
  }

  /** The largest per-node difference between two {@link #redisCpuSeconds} readings. */
  private static double busiest(double[] before, double[] after) {
    double max = 0;
    for (int i = 0; i < before.length; i++) {
      max = Math.max(max, after[i] - before[i]);
    }
    return max;
  }

  /** The sorted latencies of {@code calls} reads of {@code batch} random entities, after a warm-up; checks every vector. */
  private static long[] readLatencies(OnlineFeatureClient client, long entities, int batch, int calls) {
    SplittableRandom random = new SplittableRandom(42);
    long[] nanos = new long[calls];
    int warmup = Math.max(1000, calls / 5);
    for (int c = -warmup; c < calls; c++) {
      List<Map<String, Long>> keys = randomKeys(random, entities, batch);
      long t0 = System.nanoTime();
      List<FeatureVector> vectors = read(client, keys);
      long t1 = System.nanoTime();
      if (vectors.stream().anyMatch(v -> v.values().get("f00") == null)) {
        throw new IllegalStateException("a read of " + batch + " entities came back with an empty vector");
      }
      if (c >= 0) {
        nanos[c] = t1 - t0;
      }
    }
    Arrays.sort(nanos);
    return nanos;
  }

  private static List<Map<String, Long>> randomKeys(SplittableRandom random, long entities, int batch) {
    List<Map<String, Long>> keys = new ArrayList<>(batch);
    for (int b = 0; b < batch; b++) {
      keys.add(Map.of("entity_id", random.nextLong(entities)));
    }
    return keys;
  }

  /** One entity through {@code get}, more through {@code getBatch}: the calls a server makes. */
  private static List<FeatureVector> read(OnlineFeatureClient client, List<Map<String, Long>> keys) {
    return keys.size() == 1 ? List.of(client.get(SERVICE, null, keys.get(0))) : client.getBatch(SERVICE, null, keys);
  }

  private Timer.Timed<List<SyncResult>> timedSync(long entities) {
    OnlineSync sync = new OnlineSync(warehouse, new FeatureRegistry(warehouse, Clock.systemUTC()), redis, Clock.systemUTC(),
        batchSize);
    Timer.Timed<List<SyncResult>> t = Timer.time(() -> runs.run("bench.online.sync", List.of(),
        r -> sync.syncService(SERVICE, null, true, r)));
    long written = t.value().stream().mapToLong(SyncResult::written).sum();
    if (written != entities) {
      throw new IllegalStateException("the sync wrote " + written + " entities, expected " + entities);
    }
    return t;
  }

  private double rawSeconds(long entities, long expireAt) {
    deleteKeys("benchraw:*");
    double seconds = Timer.time(() -> rawWrites(entities, expireAt)).seconds();
    deleteKeys("benchraw:*");
    return seconds;
  }

  private BenchResult syncCase(String name, Timer.Timed<List<SyncResult>> ours, long entities, double raw) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("baseline", "the same client writing the same hashes in pipelined loops on as many connections, no Spark");
    d.put("identical_output", true);
    d.put("compared", "every entity written (the sync's count); the values by the reads");
    d.put("connections", connections());
    d.put("features", FEATURES);
    d.put("entities_per_second", Math.round(entities / ours.seconds()));
    d.put("feature_values_per_second", Math.round(entities * FEATURES / ours.seconds()));
    d.put("baseline_entities_per_second", Math.round(entities / raw));
    d.put("batch", batchSize);
    return new BenchResult(name, entities, ours.seconds(), raw, d);
  }

  private void prepare(long entities, LocalDate day) {
    if (!warehouse.exists(SOURCE) || warehouse.read(SOURCE).count() != entities) {
      long noon = day.atStartOfDay(ZoneOffset.UTC).toEpochSecond() + 12 * 3600;
      List<String> columns = new ArrayList<>(List.of("id AS entity_id",
          "timestamp_seconds(" + noon + " - pmod(xxhash64(id), 3600)) AS ts"));
      for (int j = 0; j < FEATURES; j++) {
        columns.add(String.format("CAST(pmod(xxhash64(id, %d), 10000000) AS double) / 1000 AS f%02d", j, j));
      }
      warehouse.write(warehouse.spark().range(0, entities, 1, 4).selectExpr(columns.toArray(String[]::new)), SOURCE)
          .overwriting(true).commit();
    }
    String features = IntStream.range(0, FEATURES).mapToObj(j -> String.format("      - {name: f%02d, type: double}", j))
        .collect(Collectors.joining("\n"));
    String columns = IntStream.range(0, FEATURES).mapToObj(j -> String.format("f%02d", j)).collect(Collectors.joining(", "));
    String repo = "entities:\n  - {name: bench_entity, join-keys: [{name: entity_id, type: bigint}]}\n"
        + "sources:\n  - {name: bench_source, table: " + SOURCE + ", event-time: ts}\n"
        + "feature-views:\n  - name: " + VIEW + "\n    version: 1\n    entities: [bench_entity]\n    sources: [bench_source]\n"
        + "    ttl: 30d\n    sql: SELECT entity_id, ts, " + columns + " FROM bench_source\n    event-time: ts\n"
        + "    features:\n" + features + "\n"
        + "feature-services:\n  - name: " + SERVICE + "\n    features: [{view: " + VIEW + ", version: 1, features: [\"*\"]}]\n";
    try {
      Files.createDirectories(repoDir);
      Files.writeString(repoDir.resolve("bench.yaml"), repo);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    FeatureStore store = FeatureStore.open(warehouse, repoDir, "bench repo", Clock.systemUTC(), System::getenv);
    runs.run("bench.features.apply", List.of(), store::apply);
    runs.run("bench.features.materialize", List.of(), r -> store.materialize(VIEW, 1, day, day, r));
  }

  /** The raw baseline: {@link #connections()} threads, each pipelining its share of the hashes on a connection of its own. */
  private long rawWrites(long entities, long expireAt) {
    int n = connections();
    List<Thread> threads = new ArrayList<>();
    java.util.concurrent.atomic.AtomicReference<RuntimeException> failure = new java.util.concurrent.atomic.AtomicReference<>();
    for (int t = 0; t < n; t++) {
      long from = entities * t / n;
      long to = entities * (t + 1) / n;
      Thread thread = new Thread(() -> {
        try {
          rawWrites(from, to, expireAt);
        } catch (RuntimeException e) {
          failure.set(e);
        }
      }, "bench-raw-writer-" + t);
      thread.start();
      threads.add(thread);
    }
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while writing the raw baseline", e);
      }
    }
    if (failure.get() != null) {
      throw failure.get();
    }
    return entities;
  }

  /** The connections both writers use: the sync writes from as many Spark tasks at once as the session runs. */
  int connections() {
    return Math.max(1, warehouse.spark().sparkContext().defaultParallelism());
  }

  private void rawWrites(long from, long to, long expireAt) {
    long ts = expireAt * 1000;
    try (Jedis jedis = redis.connect()) {
      Pipeline p = jedis.pipelined();
      Map<String, String> hash = new LinkedHashMap<>();
      for (long id = from; id < to; id++) {
        hash.clear();
        hash.put("_ts", Long.toString(ts - id));
        for (int j = 0; j < FEATURES; j++) {
          hash.put(FEATURE_NAMES[j], Double.toString(Math.floorMod(mix(id, j), 10_000_000L) / 1000.0));
        }
        String key = "benchraw:" + id;
        p.hset(key, hash);
        p.pexpireAt(key, expireAt);
        if ((id - from + 1) % batchSize == 0) {
          p.sync();
        }
      }
      p.sync();
    }
  }

  private static long mix(long id, int j) {
    long z = id * 0x9E3779B97F4A7C15L + j * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    return z ^ (z >>> 31);
  }

  /** The offline row of every entity, {@value #FEATURES} values each, by entity id. */
  private double[] offlineValues(long entities) {
    double[] values = new double[Math.toIntExact(entities * FEATURES)];
    List<String> columns = new ArrayList<>(List.of("entity_id"));
    columns.addAll(List.of(FEATURE_NAMES));
    java.util.Iterator<org.apache.spark.sql.Row> rows = warehouse.read(SOURCE).selectExpr(columns.toArray(String[]::new))
        .toLocalIterator();
    while (rows.hasNext()) {
      org.apache.spark.sql.Row r = rows.next();
      int at = Math.toIntExact(r.getLong(0) * FEATURES);
      for (int j = 0; j < FEATURES; j++) {
        values[at + j] = r.getDouble(j + 1);
      }
    }
    return values;
  }

  /** The mismatches between {@code vectors} read for {@code keys} and their offline rows, added to {@code out}. */
  static void compareVectors(List<Map<String, Long>> keys, List<FeatureVector> vectors, double[] offline, OutputComparison out) {
    for (int i = 0; i < keys.size(); i++) {
      long id = keys.get(i).get("entity_id");
      Map<String, Object> values = vectors.get(i).values();
      for (int j = 0; j < FEATURES; j++) {
        Object v = values.get(FEATURE_NAMES[j]);
        double expected = offline[Math.toIntExact(id * FEATURES + j)];
        if (!(v instanceof Number n) || n.doubleValue() != expected) {
          out.check("entity " + id + " " + FEATURE_NAMES[j] + ": read " + v + ", offline " + expected, false);
        }
      }
    }
  }

  private BenchResult latency(String name, OnlineFeatureClient client, JedisPooled pool, double[] offline, int batch, int calls) {
    long entities = offline.length / FEATURES;
    OutputComparison comparison = OutputComparison.exact();
    SplittableRandom random = new SplittableRandom(42);
    String[] fields = new String[FEATURES + 1];
    fields[0] = "_ts";
    for (int j = 0; j < FEATURES; j++) {
      fields[j + 1] = String.format("f%02d", j);
    }
    String prefix = PROJECT + ":fv:" + VIEW + ":v1:{";
    long[] ours = new long[calls];
    long[] bare = new long[calls];
    int warmup = Math.max(1000, calls / 5);
    for (int c = -warmup; c < calls; c++) {
      List<Map<String, Long>> keys = randomKeys(random, entities, batch);
      long t0 = System.nanoTime();
      List<FeatureVector> vectors = read(client, keys);
      long t1 = System.nanoTime();
      try (Pipeline p = pool.pipelined()) {
        List<Response<List<String>>> got = new ArrayList<>(batch);
        for (Map<String, Long> k : keys) {
          got.add(p.hmget(prefix + k.get("entity_id") + "}", fields));
        }
        p.sync();
        got.get(0).get();
      }
      long t2 = System.nanoTime();
      compareVectors(keys, vectors, offline, comparison);
      if (c >= 0) {
        ours[c] = t1 - t0;
        bare[c] = t2 - t1;
      }
    }
    Arrays.sort(ours);
    Arrays.sort(bare);
    Map<String, Object> d = BenchResult.details("bare pipelined HMGET of the same fields, a pool of the same size, no decoding",
        comparison);
    d.put("compared", "every vector read with its offline row");
    putLatencies(d, calls, batch, ours, bare);
    return new BenchResult(name, (long) calls * batch, Arrays.stream(ours).sum() / 1e9, Arrays.stream(bare).sum() / 1e9, d);
  }

  /** The percentiles of two sorted latency arrays, ours and the baseline's, in the JSON line's keys. */
  private static void putLatencies(Map<String, Object> d, int calls, int batch, long[] ours, long[] baseline) {
    d.put("calls", calls);
    d.put("entities_per_call", batch);
    d.put("p50_ms", millis(percentile(ours, 0.50)));
    d.put("p99_ms", millis(percentile(ours, 0.99)));
    d.put("p999_ms", millis(percentile(ours, 0.999)));
    d.put("baseline_p50_ms", millis(percentile(baseline, 0.50)));
    d.put("baseline_p99_ms", millis(percentile(baseline, 0.99)));
    d.put("baseline_p999_ms", millis(percentile(baseline, 0.999)));
  }

  private static long percentile(long[] sorted, double q) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
  }

  private static double millis(long nanos) {
    return Math.round(nanos / 1000.0) / 1000.0;
  }

  private void deleteKeys(String pattern) {
    try (Jedis jedis = redis.connect()) {
      ScanParams params = new ScanParams().match(pattern).count(5000);
      String cursor = ScanParams.SCAN_POINTER_START;
      do {
        ScanResult<String> page = jedis.scan(cursor, params);
        cursor = page.getCursor();
        if (!page.getResult().isEmpty()) {
          jedis.unlink(page.getResult().toArray(String[]::new));
        }
      } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    }
  }
}
