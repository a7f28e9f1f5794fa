package dev.mlops.features.online;

import dev.mlops.core.tables.TableVersion;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.features.Feature;
import dev.mlops.features.FeatureErrors;
import dev.mlops.features.registry.FeatureRegistry;
import dev.mlops.features.registry.RegisteredService;
import dev.mlops.features.registry.RegisteredView;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.Row;

/**
 * The training-serving skew check: for a sample of entities of each view of a service, compares
 * the online values with the latest row of the offline table at the Delta version last synced,
 * value by value (both as stored text, so numbers compare exactly). A value whose row's TTL has
 * run out, or whose latest row is an expiry row, is expected absent online. Entities within a
 * second of their expiry are left out, so that Redis's own expiry cannot race the check.
 */
public final class OnlineVerifier {
  private final Warehouse warehouse;
  private final FeatureRegistry registry;
  private final OnlineFeatureClient client;
  private final OnlineSync sync;
  private final Clock clock;

  public OnlineVerifier(Warehouse warehouse, FeatureRegistry registry, OnlineFeatureClient client, OnlineSync sync, Clock clock) {
    this.warehouse = warehouse;
    this.registry = registry;
    this.client = client;
    this.sync = sync;
    this.clock = clock;
  }

  /** Compares {@code sample} entities per view of {@code service}. */
  public VerifyResult verify(String service, Integer version, int sample, long seed, double maxMismatchRate) {
    RegisteredService s = registry.service(service, version);
    List<VerifyResult.Mismatch> mismatches = new ArrayList<>();
    long entities = 0;
    long values = 0;
    long nowMillis = clock.millis();
    for (String v : s.features().stream().map(f -> f.view() + "@" + f.viewVersion()).distinct().toList()) {
      String[] parts = v.split("@");
      RegisteredView view = registry.view(parts[0], Integer.parseInt(parts[1]));
      long synced = sync.lastSynced(view).orElseThrow(() -> FeatureErrors.neverSynced(view.id(), service));
      List<Row> rows = OnlineSync.latest(view, warehouse.read(new TableVersion(view.table(), synced)), true)
          .orderBy(org.apache.spark.sql.functions.rand(seed)).limit(sample).collectAsList();
      int keyCount = view.joinKeys().size();
      List<List<Object>> keys = new ArrayList<>();
      for (Row r : rows) {
        List<Object> k = new ArrayList<>();
        for (int i = 0; i < keyCount; i++) {
          k.add(r.get(i));
        }
        keys.add(k);
      }
      List<String> features = view.features().stream().map(Feature::name).toList();
      List<Map<String, String>> online = client.rawValues(view.name(), view.version(), features, keys);
      for (int e = 0; e < rows.size(); e++) {
        Row r = rows.get(e);
        long expireAt = Math.floorDiv(RedisWriter.micros(r.getTimestamp(keyCount)), 1000) + view.ttl().toMillis();
        if (Math.abs(expireAt - nowMillis) < 1000) {
          continue;
        }
        boolean present = !r.getBoolean(keyCount + 2) && nowMillis < expireAt;
        entities++;
        for (int f = 0; f < features.size(); f++) {
          String offline = present ? ValueCodec.encode(r.get(keyCount + 3 + f)) : null;
          String onlineValue = online.get(e).get(features.get(f));
          values++;
          if (!Objects.equals(offline, onlineValue)) {
            mismatches.add(new VerifyResult.Mismatch(view.id(), keys.get(e), features.get(f), onlineValue, offline));
          }
        }
      }
    }
    return new VerifyResult(s.id(), entities, values, mismatches, maxMismatchRate);
  }

}
