package dev.mlops.features.online;

import dev.mlops.features.Feature;
import dev.mlops.features.FeatureErrors;
import dev.mlops.features.FeatureRef;
import dev.mlops.features.JoinKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Reads feature vectors of a feature service from the online store: for one entity, or a batch,
 * in one round trip (the hashes of every view of every entity are read in one pipeline). Missing
 * or expired values are null. Needs Redis only: the service's and views' definitions are read
 * from the store's metadata once and cached.
 *
 * <p>On a Redis Cluster the reads of a call are split by the node that serves them, one pipeline
 * per node, the nodes' pipelines in parallel ({@link ClusterPipelines}); an entity's hashes in
 * every view share a slot (see {@link OnlineKeys}), so one entity is one call to one node.
 *
 * <p>Thread-safe; connections come from a pool (per node on a cluster). Obtain one with
 * {@link #connect}; close it when done.
 */
public final class OnlineFeatureClient implements AutoCloseable {
  private final UnifiedJedis redis;
  private final ClusterPipelines cluster;
  private final RedisSettings settings;
  private final OnlineKeys keys;
  private final Map<String, Plan> plans = new ConcurrentHashMap<>();

  private OnlineFeatureClient(UnifiedJedis redis, ClusterPipelines cluster, RedisSettings settings, OnlineKeys keys) {
    this.redis = redis;
    this.cluster = cluster;
    this.settings = settings;
    this.keys = keys;
  }

  /** A client of the store of {@code project} on {@code settings}, with up to {@code connections} pooled (per node). */
  public static OnlineFeatureClient connect(RedisSettings settings, String project, int connections) {
    if (settings.isCluster()) {
      UnifiedJedis meta = settings.open(2);
      try {
        return new OnlineFeatureClient(meta, new ClusterPipelines(settings, connections, null), settings,
            new OnlineKeys(project));
      } catch (RuntimeException e) {
        meta.close();
        throw e;
      }
    }
    JedisPooled pool = settings.pool(connections);
    try {
      pool.ping();
    } catch (JedisException e) {
      pool.close();
      throw settings.unreachable(e);
    }
    return new OnlineFeatureClient(pool, null, settings, new OnlineKeys(project));
  }

  /** The vector of one entity; {@code key} maps each join key column to its value. */
  public FeatureVector get(String service, Integer version, Map<String, ?> key) {
    return getBatch(service, version, List.of(key)).get(0);
  }

  /** The vectors of several entities, in order, in one round trip. */
  public List<FeatureVector> getBatch(String service, Integer version, List<? extends Map<String, ?>> entityKeys) {
    Plan plan = plan(service, version);
    int views = plan.views().size();
    List<String> hashes = new ArrayList<>(entityKeys.size() * views);
    List<String[]> fields = new ArrayList<>(entityKeys.size() * views);
    for (Map<String, ?> key : entityKeys) {
      for (ViewPlan v : plan.views()) {
        hashes.add(keys.entity(v.schema().view(), v.schema().version(), v.keyValues(key)));
        fields.add(v.fields());
      }
    }
    List<List<String>> replies = hmget(hashes, fields);
    List<FeatureVector> out = new ArrayList<>(entityKeys.size());
    for (int e = 0; e < entityKeys.size(); e++) {
      Map<String, Object> values = new LinkedHashMap<>();
      for (FeatureRef f : plan.refs()) {
        values.put(f.outputName(), null);
      }
      Map<String, Instant> times = new LinkedHashMap<>();
      for (int v = 0; v < plan.views().size(); v++) {
        ViewPlan vp = plan.views().get(v);
        List<String> got = replies.get(e * views + v);
        if (got.get(0) == null) {
          continue;
        }
        long micros = Long.parseLong(got.get(0));
        times.put(vp.schema().view(), Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
            Math.floorMod(micros, 1_000_000L) * 1000));
        for (int i = 0; i < vp.outputs().size(); i++) {
          values.put(vp.outputs().get(i), ValueCodec.decode(got.get(i + 1), vp.types().get(i).type()));
        }
      }
      out.add(new FeatureVector(Map.copyOf(entityKeys.get(e)), values, times));
    }
    return out;
  }

  /**
   * The stored text of every feature of one view version for each entity ({@code keyValues} in
   * join-key order), plus {@code _ts}; absent fields are null, a missing entity an empty map. For
   * checks such as {@code online verify}.
   */
  public List<Map<String, String>> rawValues(String view, int version, List<String> features, List<List<Object>> keyValues) {
    String[] fields = new String[features.size() + 1];
    fields[0] = "_ts";
    for (int i = 0; i < features.size(); i++) {
      fields[i + 1] = features.get(i);
    }
    List<String> hashes = new ArrayList<>(keyValues.size());
    for (List<Object> k : keyValues) {
      hashes.add(keys.entity(view, version, k.stream().map(ValueCodec::encode).map(Object.class::cast).toList()));
    }
    List<Map<String, String>> out = new ArrayList<>();
    for (List<String> got : hmget(hashes, java.util.Collections.nCopies(hashes.size(), fields))) {
      Map<String, String> m = new LinkedHashMap<>();
      if (got.get(0) != null) {
        for (int i = 0; i < fields.length; i++) {
          m.put(fields[i], got.get(i));
        }
      }
      out.add(m);
    }
    return out;
  }

  /**
   * {@code HMGET} of {@code fields.get(i)} from each hash {@code hashes.get(i)}, in one pipeline
   * (one per node, in parallel, on a cluster).
   */
  @SuppressWarnings("unchecked")
  private List<List<String>> hmget(List<String> hashes, List<String[]> fields) {
    try {
      if (cluster != null) {
        List<RedisWriter.ReadCall> calls = new ArrayList<>(hashes.size());
        for (int i = 0; i < hashes.size(); i++) {
          String hash = hashes.get(i);
          String[] f = fields.get(i);
          calls.add(new RedisWriter.ReadCall(hash, p -> p.hmget(hash, f)));
        }
        List<List<String>> out = new ArrayList<>(hashes.size());
        for (Object reply : runOnCluster(calls)) {
          out.add((List<String>) reply);
        }
        return out;
      }
      List<Response<List<String>>> responses = new ArrayList<>(hashes.size());
      try (Pipeline p = ((JedisPooled) redis).pipelined()) {
        for (int i = 0; i < hashes.size(); i++) {
          responses.add(p.hmget(hashes.get(i), fields.get(i)));
        }
        p.sync();
      }
      return responses.stream().map(Response::get).toList();
    } catch (JedisException e) {
      throw settings.unreachable(e);
    }
  }

  /**
   * Runs reads on the cluster; when a node cannot be reached (its master failed over), re-reads the
   * slot map and tries once more: reads are safe to repeat, and the next call starts from the new map.
   */
  private Object[] runOnCluster(List<RedisWriter.ReadCall> calls) {
    try {
      return cluster.run(calls);
    } catch (JedisConnectionException e) {
      cluster.refresh();
      return cluster.run(calls);
    }
  }

  private Plan plan(String service, Integer version) {
    return plans.computeIfAbsent(service + "@" + version, k -> load(service, version));
  }

  private Plan load(String service, Integer version) {
    try {
      int v = version != null ? version : latestVersion(service);
      String json = redis.hget(keys.serviceMeta(service, v), OnlineMeta.SERVICE_FEATURES);
      if (json == null) {
        throw FeatureErrors.serviceNotOnline(service, v, settings.address());
      }
      List<FeatureRef> refs = OnlineMeta.readService(json);
      Map<String, List<FeatureRef>> byView = new LinkedHashMap<>();
      for (FeatureRef f : refs) {
        byView.computeIfAbsent(f.view() + "@" + f.viewVersion(), x -> new ArrayList<>()).add(f);
      }
      List<ViewPlan> views = new ArrayList<>();
      for (List<FeatureRef> group : byView.values()) {
        FeatureRef first = group.get(0);
        OnlineMeta.ViewSchema schema = OnlineMeta.readView(redis.hgetAll(keys.viewMeta(first.view(), first.viewVersion())),
            first.view(), first.viewVersion());
        if (schema == null) {
          throw FeatureErrors.viewNotOnline(first.view(), first.viewVersion(), service);
        }
        List<String> fields = new ArrayList<>();
        fields.add("_ts");
        List<Feature> types = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        for (FeatureRef f : group) {
          fields.add(f.feature());
          types.add(schema.features().stream().filter(x -> x.name().equals(f.feature())).findFirst().orElseThrow());
          outputs.add(f.outputName());
        }
        views.add(new ViewPlan(schema, fields.toArray(String[]::new), types, outputs));
      }
      return new Plan(refs, views);
    } catch (JedisException e) {
      throw settings.unreachable(e);
    }
  }

  private int latestVersion(String service) {
    String latest = redis.hget(keys.project() + ":meta:service:" + service, OnlineMeta.LATEST);
    if (latest == null) {
      throw FeatureErrors.serviceNotOnline(service, null, settings.address());
    }
    return Integer.parseInt(latest);
  }

  @Override
  public void close() {
    redis.close();
    if (cluster != null) {
      cluster.close();
    }
  }

  private record Plan(List<FeatureRef> refs, List<ViewPlan> views) {}

  private record ViewPlan(OnlineMeta.ViewSchema schema, String[] fields, List<Feature> types, List<String> outputs) {
    List<Object> keyValues(Map<String, ?> key) {
      List<Object> values = new ArrayList<>(schema.keys().size());
      for (JoinKey k : schema.keys()) {
        Object v = key.get(k.name());
        if (v == null) {
          throw FeatureErrors.entityKeyIncomplete(schema.view(), schema.version(), k.name(), key.keySet(),
              schema.keys().stream().map(JoinKey::name).toList());
        }
        Object typed = KeyValues.typed(k.type(), v).orElseThrow(() -> FeatureErrors.entityKeyType(schema.view(),
            schema.version(), k.name(), k.type().sqlName(), v));
        values.add(ValueCodec.encode(typed));
      }
      return values;
    }
  }
}
