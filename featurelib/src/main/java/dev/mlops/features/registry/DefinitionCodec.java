package dev.mlops.features.registry;

import dev.mlops.core.tables.Json;
import dev.mlops.features.Constraints;
import dev.mlops.features.DerivedFeature;
import dev.mlops.core.config.Durations;
import dev.mlops.features.Entity;
import dev.mlops.features.Feature;
import dev.mlops.features.FeatureRef;
import dev.mlops.features.FeatureService;
import dev.mlops.features.FeatureView;
import dev.mlops.features.JoinKey;
import dev.mlops.features.Source;
import dev.mlops.features.SourceLocation;
import dev.mlops.features.ViewQuery;
import dev.mlops.features.WindowedAggregate;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Canonical forms of definitions: a flat, ordered {@code path: value} listing that reads well in a
 * diff, its JSON, and hashes. The <em>semantic</em> form leaves out what does not change values
 * (descriptions, owner, tags), so editing those never needs a new version.
 */
public final class DefinitionCodec {
  private DefinitionCodec() {}

  /** Every property of {@code view}, flattened. */
  public static Map<String, String> flatten(FeatureView view, boolean semanticOnly) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("name", view.name());
    m.put("version", String.valueOf(view.version()));
    if (!semanticOnly) {
      m.put("description", view.description());
      m.put("owner", view.owner());
      new TreeMap<>(view.tags()).forEach((k, v) -> m.put("tags." + k, v));
    }
    for (int i = 0; i < view.entities().size(); i++) {
      Entity e = view.entities().get(i);
      m.put("entities[" + i + "].name", e.name());
      for (int j = 0; j < e.joinKeys().size(); j++) {
        JoinKey k = e.joinKeys().get(j);
        m.put("entities[" + i + "].join-keys[" + j + "]", k.name() + " " + k.type().sqlName());
      }
    }
    m.put("ttl", Durations.format(view.ttl()));
    if (view.query() instanceof ViewQuery.Aggregation a) {
      m.put("kind", "aggregation");
      source(m, "source", a.source());
      m.put("aggregation.granularity", Durations.format(a.granularity()));
      m.put("aggregation.windows", a.windows().stream().map(Durations::format).toList().toString());
      put(m, "aggregation.filter", a.filter());
      for (int i = 0; i < a.aggregates().size(); i++) {
        WindowedAggregate w = a.aggregates().get(i);
        String p = "aggregates[" + i + "].";
        m.put(p + "name", w.name());
        m.put(p + "function", w.function().sqlName());
        put(m, p + "input", w.input());
        put(m, p + "filter", w.filter());
        m.put(p + "windows", w.windows().stream().map(Durations::format).toList().toString());
        m.put(p + "type", w.type().sqlName());
        if (!semanticOnly) {
          m.put(p + "description", w.description());
        }
        constraints(m, p, w.constraints());
      }
      for (int i = 0; i < a.derived().size(); i++) {
        DerivedFeature d = a.derived().get(i);
        feature(m, "derived[" + i + "].", d.feature(), semanticOnly);
        m.put("derived[" + i + "].expression", d.expression());
      }
    } else {
      ViewQuery.Sql q = (ViewQuery.Sql) view.query();
      m.put("kind", "sql");
      for (int i = 0; i < q.sources().size(); i++) {
        source(m, "sources[" + i + "]", q.sources().get(i));
      }
      m.put("sql", q.sql().strip().replaceAll("\\s+", " "));
      m.put("event-time", q.eventTime());
      put(m, "created-time", q.createdTime());
      for (int i = 0; i < view.features().size(); i++) {
        feature(m, "features[" + i + "].", view.features().get(i), semanticOnly);
      }
    }
    return m;
  }

  /** Every property of {@code service}, flattened. */
  public static Map<String, String> flatten(FeatureService service, boolean semanticOnly) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("name", service.name());
    m.put("version", String.valueOf(service.version()));
    if (!semanticOnly) {
      m.put("description", service.description());
      m.put("owner", service.owner());
    }
    for (int i = 0; i < service.features().size(); i++) {
      FeatureRef f = service.features().get(i);
      m.put("features[" + i + "]", f.view() + " v" + f.viewVersion() + ":" + f.feature() + " as " + f.outputName());
    }
    return m;
  }

  /** SHA-256 of the flattened form. */
  public static String hash(Map<String, String> flat) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      flat.forEach((k, v) -> md.update((k + "\u0000" + v + "\n").getBytes(StandardCharsets.UTF_8)));
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The flattened form as JSON. */
  public static String json(Map<String, String> flat) {
    return Json.write(flat);
  }

  /** Reads a flattened form back from {@link #json}. */
  @SuppressWarnings("unchecked")
  public static Map<String, String> fromJson(String json) {
    try {
      return Json.mapper().readValue(json, LinkedHashMap.class);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("Unreadable definition in the registry: " + e.getMessage(), e);
    }
  }

  /**
   * A readable diff of two flattened forms: {@code - key: old} and {@code + key: new} lines,
   * changed keys in order.
   */
  public static List<String> diff(Map<String, String> before, Map<String, String> after) {
    TreeSet<String> keys = new TreeSet<>(before.keySet());
    keys.addAll(after.keySet());
    List<String> lines = new java.util.ArrayList<>();
    for (String k : keys) {
      String a = before.get(k);
      String b = after.get(k);
      if (a != null && a.equals(b)) {
        continue;
      }
      if (a != null) {
        lines.add("- " + k + ": " + a);
      }
      if (b != null) {
        lines.add("+ " + k + ": " + b);
      }
    }
    return lines;
  }

  private static void source(Map<String, String> m, String p, Source s) {
    m.put(p + ".name", s.name());
    SourceLocation loc = s.location();
    if (loc instanceof SourceLocation.Table t) {
      m.put(p + ".table", t.table().toString());
    } else if (loc instanceof SourceLocation.Path path) {
      m.put(p + ".path", path.path() + " (" + path.format() + ")");
    } else {
      m.put(p + ".query", ((SourceLocation.Query) loc).sql().strip().replaceAll("\\s+", " "));
    }
    m.put(p + ".event-time", s.eventTime());
    put(m, p + ".created-time", s.createdTime());
    put(m, p + ".partition-column", s.partitionColumn());
  }

  private static void feature(Map<String, String> m, String p, Feature f, boolean semanticOnly) {
    m.put(p + "name", f.name());
    m.put(p + "type", f.type().sqlName());
    if (!semanticOnly) {
      m.put(p + "description", f.description());
    }
    constraints(m, p, f.constraints());
  }

  private static void constraints(Map<String, String> m, String p, Constraints c) {
    if (!c.nullable()) {
      m.put(p + "constraints.nullable", "false");
    }
    put(m, p + "constraints.min", c.min() == null ? null : String.valueOf(c.min()));
    put(m, p + "constraints.max", c.max() == null ? null : String.valueOf(c.max()));
    if (!c.allowed().isEmpty()) {
      m.put(p + "constraints.allowed", c.allowed().toString());
    }
  }

  private static void put(Map<String, String> m, String k, String v) {
    if (v != null) {
      m.put(k, v.strip());
    }
  }
}
