package dev.mlops.features.online;

import dev.mlops.core.tables.Json;
import dev.mlops.features.Feature;
import dev.mlops.features.FeatureRef;
import dev.mlops.features.JoinKey;
import dev.mlops.features.ValueType;
import dev.mlops.features.registry.RegisteredService;
import dev.mlops.features.registry.RegisteredView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.commands.JedisCommands;

/**
 * The metadata the online store keeps in Redis beside the values, so that a reader needs Redis
 * only: per view version its join keys, features and types, TTL and the Delta version last
 * synced; per service its features and the views they come from.
 */
final class OnlineMeta {
  /** View meta field: JSON list of {name, type} of the join keys. */
  public static final String KEYS = "keys";
  /** View meta field: JSON list of {name, type} of the features. */
  public static final String FEATURES = "features";
  /** View meta field: the key layout the view's entities are written in ({@link OnlineKeys#LAYOUT}). */
  public static final String LAYOUT = "layout";
  /** View meta field, on a cluster: its masters and their slots when the last sync began ({@link ClusterTopology#signature}). */
  public static final String TOPOLOGY = "cluster_masters";
  /** View meta field: the TTL in seconds. */
  public static final String TTL = "ttl_seconds";
  /** View meta field: the Delta version of the table last synced completely. */
  public static final String VERSION = "synced_version";
  /** View meta field: when that sync ended (ISO-8601). */
  public static final String SYNCED_AT = "synced_at";
  /** View meta field: the run id of a sync in progress. */
  public static final String SYNCING = "syncing";
  /** Service meta field: JSON list of {view, view_version, feature, output_name}. */
  public static final String SERVICE_FEATURES = "features";
  /** Service meta field (on the versionless key): the highest synced version. */
  public static final String LATEST = "latest_version";

  private OnlineMeta() {}

  /** The schema fields of a view's meta hash. */
  static Map<String, String> schema(RegisteredView view) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(KEYS, Json.write(view.joinKeys().stream().map(k -> Map.of("name", k.name(), "type", k.type().sqlName())).toList()));
    m.put(FEATURES, Json.write(view.features().stream().map(f -> Map.of("name", f.name(), "type", f.type().sqlName())).toList()));
    m.put(TTL, String.valueOf(view.ttl().toSeconds()));
    m.put(LAYOUT, String.valueOf(OnlineKeys.LAYOUT));
    return m;
  }

  /** Writes a service's definition. */
  static void writeService(JedisCommands redis, OnlineKeys keys, RegisteredService service) {
    redis.hset(keys.serviceMeta(service.name(), service.version()), SERVICE_FEATURES, Json.write(service.features().stream()
        .map(f -> Map.of("view", f.view(), "view_version", f.viewVersion(), "feature", f.feature(), "output_name", f.outputName()))
        .toList()));
    String latest = redis.hget(keys.project() + ":meta:service:" + service.name(), LATEST);
    if (latest == null || Integer.parseInt(latest) < service.version()) {
      redis.hset(keys.project() + ":meta:service:" + service.name(), LATEST, String.valueOf(service.version()));
    }
  }

  /** A view version as a reader sees it. */
  record ViewSchema(String view, int version, List<JoinKey> keys, List<Feature> features, long ttlSeconds) {}

  static ViewSchema readView(Map<String, String> meta, String view, int version) {
    if (meta == null || meta.get(KEYS) == null) {
      return null;
    }
    List<JoinKey> keys = new ArrayList<>();
    for (Map<String, String> k : list(meta.get(KEYS))) {
      keys.add(new JoinKey(k.get("name"), ValueType.parse(k.get("type")).orElseThrow()));
    }
    List<Feature> features = new ArrayList<>();
    for (Map<String, String> f : list(meta.get(FEATURES))) {
      features.add(new Feature(f.get("name"), ValueType.parse(f.get("type")).orElseThrow(), "", null));
    }
    return new ViewSchema(view, version, keys, features, Long.parseLong(meta.get(TTL)));
  }

  static List<FeatureRef> readService(String json) {
    List<FeatureRef> refs = new ArrayList<>();
    for (Map<String, String> f : list(json)) {
      refs.add(new FeatureRef(f.get("view"), Integer.parseInt(String.valueOf(f.get("view_version"))), f.get("feature"),
          f.get("output_name")));
    }
    return refs;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, String>> list(String json) {
    try {
      List<Map<String, Object>> raw = Json.mapper().readValue(json, List.class);
      List<Map<String, String>> out = new ArrayList<>();
      for (Map<String, Object> m : raw) {
        Map<String, String> s = new LinkedHashMap<>();
        m.forEach((k, v) -> s.put(k, String.valueOf(v)));
        out.add(s);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("Unreadable online-store metadata: " + e.getMessage(), e);
    }
  }
}
