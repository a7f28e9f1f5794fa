package dev.mlops.features.online;

import dev.mlops.features.FeatureErrors;
import java.io.Serializable;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisClusterException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.util.SafeEncoder;

/**
 * Writes a partition of latest rows to Redis from the executor that holds it: one connection per
 * partition, {@link UpsertScript} calls pipelined in bounded batches. A lost connection is
 * retried with exponential backoff, resending the whole batch (the script is idempotent); after a
 * reconnect the sync's marker must still be there, else Redis lost its data meanwhile (a
 * restart) and the sync fails, so that the next one rebuilds in full.
 *
 * <p>Input rows: the join keys, {@code feature_ts}, {@code created_ts}, a boolean "delete", then
 * the features.
 */
final class RedisWriter implements ForeachPartitionFunction<Row>, Serializable {
  private static final long serialVersionUID = 1L;
  static final int MAX_ATTEMPTS = 7;
  /** Positions in {@link #arguments}: KEYS[1], then ARGV[1..]. */
  private static final int DELETE = 4;
  private static final int NULL_COUNT = 7;
  private static final int FIRST_PAIR = 8;
  private static final byte[] TS_FIELD = SafeEncoder.encode("_ts");
  private static final byte[] CT_FIELD = SafeEncoder.encode("_ct");
  private static final byte[] GEN_FIELD = SafeEncoder.encode("_gen");

  private final RedisSettings settings;
  private final OnlineKeys keys;
  private final String view;
  private final int version;
  private final int keyCount;
  private final String[] features;
  private final long ttlMillis;
  private final boolean force;
  private final String runId;
  private final int batchSize;
  private final LongAccumulator written;
  private final LongAccumulator skipped;
  private final LongAccumulator deleted;

  RedisWriter(RedisSettings settings, OnlineKeys keys, String view, int version, int keyCount, String[] features,
      long ttlMillis, boolean force, String runId, int batchSize, LongAccumulator written, LongAccumulator skipped,
      LongAccumulator deleted) {
    this.settings = settings;
    this.keys = keys;
    this.view = view;
    this.version = version;
    this.keyCount = keyCount;
    this.features = features.clone();
    this.ttlMillis = ttlMillis;
    this.force = force;
    this.runId = runId;
    this.batchSize = batchSize;
    this.written = written;
    this.skipped = skipped;
    this.deleted = deleted;
  }

  @Override
  public void call(Iterator<Row> rows) throws Exception {
    if (settings.isCluster()) {
      writeToCluster(rows);
      return;
    }
    Jedis jedis = null;
    try {
      try {
        jedis = connect(false);
      } catch (JedisConnectionException e) {
        jedis = send(null, List.of()); // retries the connection with backoff
      }
      List<String[]> batch = new ArrayList<>(batchSize);
      while (rows.hasNext()) {
        batch.add(arguments(rows.next()));
        if (batch.size() == batchSize) {
          jedis = send(jedis, batch);
          batch.clear();
        }
      }
      if (!batch.isEmpty()) {
        jedis = send(jedis, batch);
      }
    } finally {
      if (jedis != null) {
        jedis.close();
      }
    }
  }

  /** KEYS[1] and the ARGV of one row (see {@link UpsertScript}). */
  String[] arguments(Row r) {
    List<Object> keyValues = new ArrayList<>(keyCount);
    for (int i = 0; i < keyCount; i++) {
      keyValues.add(ValueCodec.encode(r.get(i)));
    }
    long ts = micros(r.getTimestamp(keyCount));
    long ct = r.isNullAt(keyCount + 1) ? 0 : micros(r.getTimestamp(keyCount + 1));
    long expireAt = Math.floorDiv(ts, 1000) + ttlMillis;
    // A row whose TTL has already run out is a deletion (Redis would drop it at once anyway).
    boolean delete = r.getBoolean(keyCount + 2) || expireAt <= System.currentTimeMillis();
    List<String> nulls = new ArrayList<>();
    List<String> pairs = new ArrayList<>();
    for (int f = 0; f < features.length; f++) {
      String v = ValueCodec.encode(r.get(keyCount + 3 + f));
      if (v == null) {
        nulls.add(features[f]);
      } else {
        pairs.add(features[f]);
        pairs.add(v);
      }
    }
    String[] out = new String[1 + 7 + nulls.size() + pairs.size()];
    int i = 0;
    out[i++] = keys.entity(view, version, keyValues);
    out[i++] = String.valueOf(ts);
    out[i++] = String.valueOf(ct);
    out[i++] = String.valueOf(expireAt);
    out[i++] = delete ? "1" : "0";
    out[i++] = force ? "1" : "0";
    out[i++] = runId;
    out[i++] = String.valueOf(nulls.size());
    for (String n : nulls) {
      out[i++] = n;
    }
    for (String p : pairs) {
      out[i++] = p;
    }
    return out;
  }

  private Jedis send(Jedis current, List<String[]> batch) {
    Jedis jedis = current;
    int failures = 0;
    while (true) {
      try {
        if (jedis == null) {
          jedis = connect(true);
        }
        Pipeline p = jedis.pipelined();
        List<Response<?>> results = new ArrayList<>(batch.size());
        boolean[] overwritten = new boolean[batch.size()];
        List<Response<?>> writes = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
          String[] a = batch.get(i);
          overwritten[i] = force && "0".equals(a[NULL_COUNT]) && "0".equals(a[DELETE]);
          results.add(overwritten[i] ? overwrite(p, a, writes) : upsert(p, a));
        }
        p.sync();
        writes.forEach(Response::get); // throws a refused write
        tally(batch, overwritten, results.stream().map(Response::get).toArray());
        return jedis;
      } catch (JedisConnectionException e) {
        closeQuietly(jedis);
        jedis = null;
        failures++;
        if (failures >= MAX_ATTEMPTS) {
          throw FeatureErrors.redisStayedUnreachable(view, version, settings.address(), MAX_ATTEMPTS, e);
        }
        sleep(Math.min(5_000L, 100L << (failures - 1)));
      } catch (JedisDataException e) {
        if (e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT")) {
          jedis.scriptLoad(UpsertScript.SOURCE);
          continue;
        }
        throw FeatureErrors.redisRefusedWrite(view, version, e);
      }
    }
  }

  /** Counts the replies of a batch: 1 written, 2 deleted, 0 skipped. */
  private void tally(List<String[]> batch, boolean[] overwritten, Object[] replies) {
    for (int i = 0; i < replies.length; i++) {
      long code = ((Number) replies[i]).longValue();
      if (overwritten[i] && code != 1) {
        throw new JedisDataException("the expiry of " + batch.get(i)[0] + " did not apply right after its values");
      }
      if (code == 1) {
        written.add(1);
      } else if (code == 2) {
        deleted.add(1);
      } else {
        skipped.add(1);
      }
    }
  }

  /**
   * The cluster path of {@link #call}: the rows in bounded batches, each batch split by node and
   * pipelined per node in parallel ({@link ClusterPipelines}).
   */
  private void writeToCluster(Iterator<Row> rows) {
    try (ClusterPipelines cluster = new ClusterPipelines(settings, 1, UpsertScript.SOURCE)) {
      List<String[]> batch = new ArrayList<>(batchSize);
      while (rows.hasNext()) {
        batch.add(arguments(rows.next()));
        if (batch.size() == batchSize) {
          sendToCluster(cluster, batch);
          batch.clear();
        }
      }
      if (!batch.isEmpty()) {
        sendToCluster(cluster, batch);
      }
    }
  }

  /**
   * Sends one batch to the cluster. A node that cannot be reached, or a cluster that is down for a
   * moment (a failover), is retried with backoff after re-reading the slot map, resending the
   * whole batch; before resending, the sync's marker must still be in the cluster.
   */
  private void sendToCluster(ClusterPipelines cluster, List<String[]> batch) {
    int failures = 0;
    while (true) {
      try {
        boolean[] overwritten = new boolean[batch.size()];
        List<ClusterPipelines.Call> calls = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
          String[] a = batch.get(i);
          overwritten[i] = force && "0".equals(a[NULL_COUNT]) && "0".equals(a[DELETE]);
          calls.add(overwritten[i] ? new WriteCall(a, true) : new WriteCall(a, false));
        }
        tally(batch, overwritten, cluster.run(calls));
        return;
      } catch (JedisConnectionException | JedisClusterException e) {
        failures++;
        if (failures >= MAX_ATTEMPTS) {
          throw FeatureErrors.redisStayedUnreachable(view, version, settings.address(), MAX_ATTEMPTS, e);
        }
        sleep(Math.min(5_000L, 100L << (failures - 1)));
        reconnect(cluster);
      } catch (JedisDataException e) {
        throw FeatureErrors.redisRefusedWrite(view, version, e);
      }
    }
  }

  /** After a lost node: a new slot map, when some node answers, and the sync's marker still there. */
  private void reconnect(ClusterPipelines cluster) {
    try {
      cluster.refresh();
    } catch (dev.mlops.core.PlatformException e) {
      return; // no node answers yet: the next attempt tries again
    }
    String metaKey = keys.viewMeta(view, version);
    Object marker;
    try {
      marker = cluster.run(List.of(new ReadCall(metaKey, p -> p.hget(metaKey, OnlineMeta.SYNCING))))[0];
    } catch (JedisConnectionException | JedisClusterException e) {
      return; // the new map's node is not up yet: the next attempt tries again
    }
    if (!runId.equals(marker)) {
      throw FeatureErrors.redisLostSync(view, version, settings.address());
    }
  }

  /** One row's write on a cluster: the guarded script, or a full rebuild's overwrite. */
  private record WriteCall(String[] a, boolean rebuild) implements ClusterPipelines.Call {
    @Override
    public String key() {
      return a[0];
    }

    @Override
    public java.util.function.Supplier<Object> send(Pipeline p) {
      if (!rebuild) {
        Response<?> r = upsert(p, a);
        return r::get;
      }
      List<Response<?>> writes = new ArrayList<>(1);
      Response<?> expiry = overwrite(p, a, writes);
      return () -> {
        writes.forEach(Response::get);
        return expiry.get();
      };
    }
  }

  /** A single-key read on a cluster. */
  record ReadCall(String key, java.util.function.Function<Pipeline, Response<?>> command) implements ClusterPipelines.Call {
    @Override
    public java.util.function.Supplier<Object> send(Pipeline p) {
      Response<?> r = command.apply(p);
      return r::get;
    }
  }

  /** The script (see {@link UpsertScript}); answers 1 written, 2 deleted, 0 skipped. */
  private static Response<?> upsert(Pipeline p, String[] a) {
    return p.evalsha(UpsertScript.SHA, List.of(a[0]), Arrays.asList(a).subList(1, a.length));
  }

  /**
   * A full rebuild's write of a row with every feature set: what the script would do with
   * "force", as {@code HSET} then {@code PEXPIREAT}, which costs Redis less than the script or the
   * pair wrapped in {@code MULTI}/{@code EXEC} (figures in docs/BENCHMARKS.md). A reader sees
   * the old vector or the new one ({@code HSET} sets every field at once). A job that dies between
   * the two commands can leave a key without its expiry: its marker then stays in the view's
   * metadata, and the next sync, seeing it, rebuilds in full (see {@link OnlineSync}), which sets
   * every expiry again. Answers the {@code PEXPIREAT} reply (1: set).
   */
  private static Response<?> overwrite(Pipeline p, String[] a, List<Response<?>> writes) {
    byte[][] raw = new byte[1 + 6 + a.length - FIRST_PAIR][];
    int i = 0;
    raw[i++] = SafeEncoder.encode(a[0]);
    raw[i++] = TS_FIELD;
    raw[i++] = SafeEncoder.encode(a[1]);
    raw[i++] = CT_FIELD;
    raw[i++] = SafeEncoder.encode(a[2]);
    raw[i++] = GEN_FIELD;
    raw[i++] = SafeEncoder.encode(a[6]);
    for (int f = FIRST_PAIR; f < a.length; f++) {
      raw[i++] = SafeEncoder.encode(a[f]);
    }
    writes.add(p.sendCommand(Protocol.Command.HSET, raw));
    return p.sendCommand(Protocol.Command.PEXPIREAT, raw[0], SafeEncoder.encode(a[3]));
  }

  /**
   * Connects and loads the script; after a reconnect, checks that Redis kept this sync's marker.
   *
   * @throws JedisConnectionException while the server is unreachable (the caller retries)
   */
  private Jedis connect(boolean reconnect) {
    Jedis jedis;
    try {
      jedis = new Jedis(new redis.clients.jedis.HostAndPort(settings.host(), settings.port()), settings.clientConfig());
    } catch (redis.clients.jedis.exceptions.JedisAccessControlException e) {
      throw settings.unreachable(e);
    }
    try {
      jedis.ping();
      if (reconnect && !runId.equals(jedis.hget(keys.viewMeta(view, version), OnlineMeta.SYNCING))) {
        throw FeatureErrors.redisLostSync(view, version, settings.address());
      }
      jedis.scriptLoad(UpsertScript.SOURCE);
      return jedis;
    } catch (RuntimeException e) {
      jedis.close();
      throw e;
    }
  }

  private static void closeQuietly(Jedis jedis) {
    try {
      jedis.close();
    } catch (RuntimeException ignored) {
      // the connection is broken anyway
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw FeatureErrors.interruptedWaitingForRedis(e);
    }
  }

  static long micros(Timestamp t) {
    return Math.floorDiv(t.getTime(), 1000) * 1_000_000L + t.getNanos() / 1000;
  }
}
