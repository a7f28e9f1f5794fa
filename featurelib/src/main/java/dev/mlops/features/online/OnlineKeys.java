package dev.mlops.features.online;

import java.io.Serializable;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The online store's key layout (see {@code docs/ONLINE_STORE.md}), layout {@value #LAYOUT}. One
 * hash per project, view version and entity:
 *
 * <pre>
 *   {project}:fv:{view}:v{version}:&#123;{key1}[:{key2}...]&#125;  the entity's latest values
 *   {project}:meta:view:{view}:v{version}                 the view's schema and sync state
 *   {project}:meta:service:{service}:v{version}           a service's features
 * </pre>
 *
 * Key values are written as text (numbers in decimal) and percent-encoded (UTF-8, spaces as
 * {@code %20}), so neither {@code :} nor a brace ever appears inside one. The entity's key values
 * are a Redis Cluster hash tag (the part in braces): on a cluster, the hashes of one entity in
 * every view sit in one slot, so reading its vector across views is one call to one node. Layout
 * 1 had no braces; a sync finding a view written in layout 1 rebuilds it in full and sweeps the
 * old keys ({@link OnlineSync}). Immutable.
 */
record OnlineKeys(String project) implements Serializable {
  /** The layout this class writes; recorded in each view's metadata ({@link OnlineMeta#LAYOUT}). */
  static final int LAYOUT = 2;

  /** The hash of one entity of a view version. */
  public String entity(String view, int version, List<?> keyValues) {
    StringBuilder sb = new StringBuilder(prefix(view, version)).append(":{");
    for (int i = 0; i < keyValues.size(); i++) {
      sb.append(i == 0 ? "" : ":").append(encode(String.valueOf(keyValues.get(i))));
    }
    return sb.append('}').toString();
  }

  /** The prefix of every entity hash of a view version ({@code demo:fv:customer_spend:v1}). */
  public String prefix(String view, int version) {
    return project + ":fv:" + view + ":v" + version;
  }

  /** The metadata hash of a view version. */
  public String viewMeta(String view, int version) {
    return project + ":meta:view:" + view + ":v" + version;
  }

  /** The lease of the sync running on a view version (a string: its run id; see {@code RedisLease}). */
  public String syncLease(String view, int version) {
    return viewMeta(view, version) + ":lease";
  }

  /** The metadata hash of a service version. */
  public String serviceMeta(String service, int version) {
    return project + ":meta:service:" + service + ":v" + version;
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A");
  }
}
