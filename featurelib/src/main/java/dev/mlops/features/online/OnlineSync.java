package dev.mlops.features.online;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import dev.mlops.core.PlatformException;
import dev.mlops.core.runs.JobRun;
import dev.mlops.core.spark.Identifiers;
import dev.mlops.core.spark.SparkJobs;
import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.TableVersion;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.features.Feature;
import dev.mlops.features.FeatureErrors;
import dev.mlops.features.JoinKey;
import dev.mlops.features.registry.FeatureRegistry;
import dev.mlops.features.registry.FeatureTables;
import dev.mlops.features.registry.RegisteredService;
import dev.mlops.features.registry.RegisteredView;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Pushes the latest row of every entity of a feature view version to Redis, from the executors
 * (see {@link RedisWriter}), and records what it synced in {@value #TABLE_NAME}.
 *
 * <ul>
 *   <li><b>Incremental</b> (the default): from the Delta version last synced, the entities the
 *       Change Data Feed touched; of those, only the ones whose latest values actually changed
 *       (a re-materialization rewrites rows that are mostly identical) are written.
 *   <li><b>Full</b> ({@code --full}, the first sync, when Redis does not hold the version the table
 *       says was synced, as after a restart without persistence, or when a sync died and left its
 *       marker): every entity's latest row, then a sweep that deletes entities no longer in the
 *       table (unless Redis held no trace of the view before the sync: then there is nothing to
 *       sweep).
 * </ul>
 *
 * One sync runs on a view version at a time ({@link dev.mlops.core.redis.RedisLease}); another one meanwhile fails at
 * once, naming the run that holds the view. A write never replaces a value with a newer event time ({@link UpsertScript}); a full sync
 * overwrites, since it rebuilds. The synced version is recorded, in Redis and in the table, only
 * after every write succeeded. Thread-safe as far as the session is.
 */
public final class OnlineSync {
  public static final String TABLE_NAME = "features.online_syncs";
  public static final TableName TABLE = TableName.parse(TABLE_NAME);
  static final StructType SCHEMA = new StructType()
      .add("view", DataTypes.StringType, false)
      .add("version", DataTypes.IntegerType, false)
      .add("table_name", DataTypes.StringType, false)
      .add("delta_version", DataTypes.LongType, false)
      .add("mode", DataTypes.StringType, false)
      .add("reason", DataTypes.StringType, false)
      .add("written", DataTypes.LongType, false)
      .add("skipped", DataTypes.LongType, false)
      .add("deleted", DataTypes.LongType, false)
      .add("redis", DataTypes.StringType, false)
      .add("run_id", DataTypes.StringType, false)
      .add("synced_at", DataTypes.TimestampType, false);

  private final Warehouse warehouse;
  private final FeatureRegistry registry;
  private final RedisSettings redis;
  private final OnlineKeys keys;
  private final Clock clock;
  private final int batchSize;

  /**
   * @param warehouse where the feature tables are
   * @param registry the feature registry
   * @param redis the Redis server
   * @param clock the clock for records
   * @param batchSize writes per pipelined batch
   */
  public OnlineSync(Warehouse warehouse, FeatureRegistry registry, RedisSettings redis, Clock clock, int batchSize) {
    this.warehouse = warehouse;
    this.registry = registry;
    this.redis = redis;
    this.keys = new OnlineKeys(warehouse.config().project());
    this.clock = clock;
    this.batchSize = batchSize;
  }

  /** The key layout in use. */
  public OnlineKeys keys() {
    return keys;
  }

  /** Syncs every view of {@code service} and writes the service's definition. */
  public List<SyncResult> syncService(String service, Integer version, boolean full, JobRun run) {
    RegisteredService s = registry.service(service, version);
    List<SyncResult> results = new ArrayList<>();
    s.features().stream().map(f -> f.view() + "@" + f.viewVersion()).distinct().forEach(v -> {
      String[] parts = v.split("@");
      results.add(sync(parts[0], Integer.parseInt(parts[1]), full, run));
    });
    try (UnifiedJedis jedis = redis.open()) {
      OnlineMeta.writeService(jedis, keys, s);
    }
    return results;
  }

  /** Syncs one view version (its highest when {@code version} is null). */
  public SyncResult sync(String viewName, Integer version, boolean full, JobRun run) {
    RegisteredView view = registry.view(viewName, version);
    TableVersion current = warehouse.current(view.table());
    run.input(current);
    try (dev.mlops.core.redis.RedisLease lease = acquireLease(view, run)) {
      return syncHolding(view, current, full, run);
    }
  }

  /** Takes the view's lease for {@code run}: fails when another sync holds it. */
  private dev.mlops.core.redis.RedisLease acquireLease(RegisteredView view, JobRun run) {
    try (UnifiedJedis jedis = redis.open()) {
      return dev.mlops.core.redis.RedisLease.acquire(jedis, redis::open, keys.syncLease(view.name(), view.version()), run.runId(),
          dev.mlops.core.redis.RedisLease.DEFAULT_MILLIS, "online-sync-lease", FeatureErrors.syncRefusal(view.id()));
    } catch (PlatformException e) {
      throw e;
    } catch (RuntimeException e) {
      throw redis.unreachable(e);
    }
  }

  private SyncResult syncHolding(RegisteredView view, TableVersion current, boolean full, JobRun run) {
    String metaKey = keys.viewMeta(view.name(), view.version());
    Plan plan = begin(view, metaKey, current, full, run);
    if (plan == null) {
      return new SyncResult(view.id(), current, "none", "already synced at version " + current.version(), 0, 0, 0);
    }
    Written written = write(view, current, plan, run);
    boolean sweep = plan.full() && plan.traceInRedis();
    if (sweep) {
      requireMarker(view, metaKey, run); // a sync that raced this one must not be swept away
    }
    long swept = sweep ? sweep(view, run.runId()) : 0;
    requireMarker(view, metaKey, run);
    try (UnifiedJedis jedis = redis.open()) {
      jedis.hset(metaKey, Map.of(OnlineMeta.VERSION, String.valueOf(current.version()),
          OnlineMeta.SYNCED_AT, clock.instant().toString()));
      jedis.hdel(metaKey, OnlineMeta.SYNCING);
    }
    SyncResult result = new SyncResult(view.id(), current, plan.mode(), plan.reason(), written.written(),
        written.skipped(), written.deleted() + swept);
    Row record = RowFactory.create(view.name(), view.version(), view.table().toString(), current.version(), plan.mode(),
        plan.reason(), result.written(), result.skipped(), result.deleted(), redis.address(), run.runId(),
        Timestamp.from(clock.instant()));
    run.output(warehouse.write(warehouse.spark().createDataFrame(List.of(record), SCHEMA), TABLE)
        .commitInfo(run.commitInfo()).commit());
    return result;
  }

  /**
   * How a sync goes.
   *
   * @param mode {@code full} or {@code incremental}
   * @param reason why
   * @param from the version an incremental sync writes the changes after; null for a full sync
   * @param traceInRedis whether Redis held anything of the view when the sync began
   */
  private record Plan(String mode, String reason, Long from, boolean traceInRedis) {
    boolean full() {
      return from == null;
    }
  }

  /** What the executors did with a sync's rows. */
  private record Written(long written, long skipped, long deleted) {}

  /**
   * How to sync {@code view} to {@code current}, with Redis marked as being synced by {@code run};
   * null, and nothing marked, when Redis holds {@code current} already.
   */
  private Plan begin(RegisteredView view, String metaKey, TableVersion current, boolean full, JobRun run) {
    Optional<Long> recorded = lastSynced(view);
    try (UnifiedJedis jedis = redis.open()) {
      // Every sync writes the view's metadata before its first entity, and nothing expires it: no
      // metadata, no entity key of this view either, so a full sync needs no sweep afterwards.
      // On a cluster the metadata's node may have been replaced while the others kept entities.
      boolean traceInRedis = jedis.exists(metaKey) || redis.isCluster();
      Map<String, String> stored = jedis.hgetAll(metaKey);
      String inRedis = stored.get(OnlineMeta.VERSION);
      String unfinished = stored.get(OnlineMeta.SYNCING);
      String topology = redis.isCluster() ? ClusterTopology.read(redis, List.of()).signature() : null;
      String rebuild = rebuildReason(stored, topology);
      Plan plan;
      if (full) {
        plan = new Plan("full", "asked for (--full)", null, traceInRedis);
      } else if (recorded.isEmpty()) {
        plan = new Plan("full", "first sync", null, traceInRedis);
      } else if (unfinished != null) {
        // We hold the lease, so that sync is dead; it may have left keys half written (values
        // without their expiry, see RedisWriter).
        plan = new Plan("full", "the sync of run " + unfinished + " did not finish", null, traceInRedis);
      } else if (rebuild != null) {
        plan = new Plan("full", rebuild, null, traceInRedis);
      } else if (inRedis == null || Long.parseLong(inRedis) != recorded.get()) {
        plan = new Plan("full", "Redis holds " + (inRedis == null ? "no synced version" : "version " + inRedis)
            + " but version " + recorded.get() + " was synced (data lost or changed outside the platform)", null,
            traceInRedis);
      } else if (recorded.get() == current.version()) {
        return null;
      } else {
        plan = new Plan("incremental", "changes after version " + recorded.get(), recorded.get(), traceInRedis);
      }
      Map<String, String> meta = OnlineMeta.schema(view);
      meta.put(OnlineMeta.SYNCING, run.runId());
      if (topology != null) {
        meta.put(OnlineMeta.TOPOLOGY, topology);
      }
      jedis.hset(metaKey, meta);
      return plan;
    } catch (PlatformException e) {
      throw e;
    } catch (RuntimeException e) {
      throw redis.unreachable(e);
    }
  }

  /**
   * Writes the sync's rows to Redis from the executors: every entity's latest row for a full sync
   * (deleted entities included), the changed entities' for an incremental one.
   */
  private Written write(RegisteredView view, TableVersion current, Plan plan, JobRun run) {
    Dataset<Row> rows = plan.full() ? latest(view, byEntity(view, warehouse.read(current)), true)
        : changed(view, plan.from(), current);
    String[] features = view.features().stream().map(Feature::name).toArray(String[]::new);
    LongAccumulator written = warehouse.spark().sparkContext().longAccumulator("online-written");
    LongAccumulator skipped = warehouse.spark().sparkContext().longAccumulator("online-skipped");
    LongAccumulator deleted = warehouse.spark().sparkContext().longAccumulator("online-deleted");
    RedisWriter writer = new RedisWriter(redis, keys, view.name(), view.version(), view.joinKeys().size(), features,
        view.ttl().toMillis(), plan.full(), run.runId(), batchSize, written, skipped, deleted);
    SparkJobs.inGroup(warehouse.spark(), "online-sync-" + view.name(),
        "online sync " + view.id() + " (" + plan.mode() + ")", () -> rows.foreachPartition(writer));
    return new Written(written.value(), skipped.value(), deleted.value());
  }

  /**
   * Why the view must be rebuilt in full though the synced versions agree, or null: its entities
   * are in an older key layout, or the cluster's masters changed since the last sync (a master
   * replaced without its data).
   */
  private static String rebuildReason(Map<String, String> stored, String topology) {
    if (stored.isEmpty()) {
      return null;
    }
    String layout = stored.getOrDefault(OnlineMeta.LAYOUT, "1");
    if (!layout.equals(String.valueOf(OnlineKeys.LAYOUT))) {
      return "the entities are in key layout " + layout + ", this version writes layout " + OnlineKeys.LAYOUT
          + " (hash-tagged keys): rebuilding, the sweep removes the old keys";
    }
    String before = stored.get(OnlineMeta.TOPOLOGY);
    if (topology != null && before != null && !before.equals(topology)) {
      return "the cluster's masters changed since the last sync (" + before + " -> " + topology
          + "), a replaced master may have lost entities";
    }
    return null;
  }

  /**
   * On a cluster, fails unless the masters are those the sync began with: a master lost and
   * replaced meanwhile may have lost writes it acknowledged.
   */
  private void requireSameMasters(RegisteredView view, String metaKey, UnifiedJedis jedis) {
    if (!redis.isCluster()) {
      return;
    }
    String before = jedis.hget(metaKey, OnlineMeta.TOPOLOGY);
    String now = ClusterTopology.read(redis, List.of()).signature();
    if (!now.equals(before)) {
      throw FeatureErrors.clusterChangedDuringSync(view.id(), redis.address(), before, now);
    }
  }

  /** Fails unless Redis still holds this run's "syncing" marker: it lost its data, or another sync took over. */
  private void requireMarker(RegisteredView view, String metaKey, JobRun run) {
    try (UnifiedJedis jedis = redis.open()) {
      String marker = jedis.hget(metaKey, OnlineMeta.SYNCING);
      if (!run.runId().equals(marker)) {
        throw FeatureErrors.syncNotFinished(view.id(), redis.address(), marker);
      }
      requireSameMasters(view, metaKey, jedis);
    }
  }

  /** The Delta version of {@code view}'s table last synced completely, per the sync table. */
  public Optional<Long> lastSynced(RegisteredView view) {
    if (!warehouse.exists(TABLE)) {
      return Optional.empty();
    }
    Row r = warehouse.read(TABLE).where(col("view").equalTo(view.name()).and(col("version").equalTo(view.version())))
        .agg(expr("max(delta_version)")).first(); // each sync takes the then current version: they only grow
    return r.isNullAt(0) ? Optional.empty() : Optional.of(r.getLong(0));
  }

  /**
   * {@code rows} spread by entity over one partition per core. The latest-row aggregation keeps
   * this partitioning (adaptive execution does not coalesce a repartition to a set number), so
   * every core writes to Redis at once, in one wave, rather than a few coalesced partitions in
   * two waves with cores idle in the second.
   */
  private Dataset<Row> byEntity(RegisteredView view, Dataset<Row> rows) {
    Column[] keyCols = view.joinKeys().stream().map(k -> Identifiers.column(k.name())).toArray(Column[]::new);
    return rows.repartition(Math.max(1, warehouse.spark().sparkContext().defaultParallelism()), keyCols);
  }

  /**
   * The latest row of every entity of {@code rows} (greatest feature time, then created time,
   * then fingerprint), in the writer's layout: keys, feature_ts, created_ts, delete, features.
   */
  static Dataset<Row> latest(RegisteredView view, Dataset<Row> rows, boolean markDeletes) {
    List<Column> keyCols = view.joinKeys().stream().map(k -> Identifiers.column(k.name())).toList();
    String values = String.join(", ", view.features().stream().map(f -> Identifiers.quote(f.name())).toList());
    Dataset<Row> live = rows;
    for (JoinKey k : view.joinKeys()) {
      live = live.where(Identifiers.column(k.name()).isNotNull());
    }
    Dataset<Row> grouped = live.groupBy(keyCols.toArray(Column[]::new)).agg(expr("max(struct(" + FeatureTables.FEATURE_TS
        + ", " + FeatureTables.CREATED_TS + ", xxhash64(" + values + "), " + values + ")) AS _latest"));
    List<Column> out = new ArrayList<>(keyCols);
    out.add(col("_latest." + FeatureTables.FEATURE_TS).as(FeatureTables.FEATURE_TS));
    out.add(col("_latest." + FeatureTables.CREATED_TS).as(FeatureTables.CREATED_TS));
    String allNull = String.join(" AND ", view.features().stream().map(f -> "_latest." + Identifiers.quote(f.name()) + " IS NULL").toList());
    out.add(markDeletes && view.kind().equals("aggregation") ? expr("(" + allNull + ")").as("_delete")
        : expr("false").as("_delete"));
    for (Feature f : view.features()) {
      out.add(col("_latest." + Identifiers.quote(f.name())).as(f.name()));
    }
    return grouped.select(out.toArray(Column[]::new));
  }

  /**
   * The latest rows, at {@code to}, of the entities whose latest values differ from those at
   * version {@code from}, among those the Change Data Feed shows touched since; entities with no
   * row left are deleted (event time "now", so the guard lets it through). One full outer join of
   * the two sides' latest rows on the keys: no set operation, and no projection of the same
   * constant into several columns. (Comparing with {@code exceptAll} and adding the deleted
   * entities as a union with one {@code CAST(NULL AS type)} per feature made the optimizer's
   * constraint propagation grow exponentially with the features of one type: a view of eight
   * long features exhausted a 1.5 GB driver before a single row was read.)
   */
  private Dataset<Row> changed(RegisteredView view, long from, TableVersion to) {
    List<String> keyNames = view.joinKeys().stream().map(JoinKey::name).toList();
    Column[] keyCols = keyNames.stream().map(Identifiers::column).toArray(Column[]::new);
    Dataset<Row> touched = warehouse.spark().read().format("delta").option("readChangeFeed", "true")
        .option("startingVersion", from + 1).option("endingVersion", to.version())
        .load(warehouse.location(view.table())).select(keyCols).distinct();
    Dataset<Row> now = latest(view, warehouse.read(to).join(touched, asSeq(keyNames), "left_semi"), true).as("n");
    Dataset<Row> before = latest(view, warehouse.read(new TableVersion(view.table(), from)).join(touched, asSeq(keyNames),
        "left_semi"), true).as("b");
    Column on = null;
    for (String k : keyNames) {
      Column equal = side("n", k).equalTo(side("b", k));
      on = on == null ? equal : on.and(equal);
    }
    List<String> compared = new ArrayList<>(List.of(FeatureTables.FEATURE_TS, "_delete"));
    view.features().forEach(f -> compared.add(f.name()));
    Column same = null;
    for (String c : compared) {
      Column equal = side("n", c).eqNullSafe(side("b", c));
      same = same == null ? equal : same.and(equal);
    }
    Column missing = side("n", "_delete").isNull().or(side("b", "_delete").isNull());
    List<Column> out = new ArrayList<>();
    keyNames.forEach(k -> out.add(functions.coalesce(side("n", k), side("b", k)).as(k)));
    out.add(functions.coalesce(side("n", FeatureTables.FEATURE_TS), functions.current_timestamp()).as(FeatureTables.FEATURE_TS));
    out.add(functions.coalesce(side("n", FeatureTables.CREATED_TS), functions.current_timestamp()).as(FeatureTables.CREATED_TS));
    out.add(functions.coalesce(side("n", "_delete"), functions.lit(true)).as("_delete"));
    view.features().forEach(f -> out.add(side("n", f.name()).as(f.name())));
    return now.join(before, on, "full_outer").where(missing.or(functions.not(same))).select(out.toArray(Column[]::new));
  }

  /** Column {@code name} of the side aliased {@code alias} of a join. */
  private static Column side(String alias, String name) {
    return col(Identifiers.quote(alias, name));
  }

  /**
   * Deletes the keys among KEYS whose {@code _gen} is not ARGV[1] (the sync's run id); answers
   * how many it deleted. Run per page of a SCAN: the comparison happens in Redis, so no field
   * travels to the client and back.
   */
  private static final String SWEEP_SCRIPT = String.join("\n",
      "local n = 0",
      "for _, k in ipairs(KEYS) do",
      "  if redis.call('HGET', k, '_gen') ~= ARGV[1] then n = n + redis.call('UNLINK', k) end",
      "end",
      "return n");

  /**
   * On one server, a page of the sweep in one call: SCANs from cursor ARGV[1] for keys matching
   * ARGV[2] (COUNT ARGV[3]) and deletes those whose {@code _gen} is not ARGV[4]; answers the next
   * cursor and how many it deleted. The key names never travel to the client and back: one round
   * trip per page instead of two, each carrying a page of names.
   */
  private static final String SWEEP_PAGE_SCRIPT = String.join("\n",
      "local page = redis.call('SCAN', ARGV[1], 'MATCH', ARGV[2], 'COUNT', ARGV[3])",
      "local n = 0",
      "for _, k in ipairs(page[2]) do",
      "  if redis.call('HGET', k, '_gen') ~= ARGV[4] then n = n + redis.call('UNLINK', k) end",
      "end",
      "return {page[1], n}");

  /**
   * Deletes the view's entities that a full sync did not write (no longer in the table): scans
   * the view's keys from the driver in pages and deletes a page's stale keys in Redis
   * ({@link #SWEEP_PAGE_SCRIPT} on one server, {@link #SWEEP_SCRIPT} per slot on a cluster node).
   */
  private long sweep(RegisteredView view, String runId) {
    if (!redis.isCluster()) {
      try (Jedis jedis = redis.connect()) {
        return sweepNode(jedis, view, runId);
      }
    }
    long removed = 0;
    for (HostAndPort master : ClusterTopology.read(redis, List.of()).masters()) {
      try (Jedis jedis = new Jedis(master, redis.clientConfig())) {
        removed += sweepNode(jedis, view, runId);
      } catch (redis.clients.jedis.exceptions.JedisException e) {
        throw redis.unreachable(e);
      }
    }
    return removed;
  }

  /**
   * Sweeps the view's keys on one server or cluster node. On a node, a page's keys are deleted one
   * slot at a time (a script's keys must share a slot), the page's script calls in one pipeline:
   * one round trip per page, not per slot (a page of 1,000 keys spans about as many slots).
   */
  private long sweepNode(Jedis jedis, RegisteredView view, String runId) {
    if (!redis.isCluster()) {
      return sweepServer(jedis, view, runId);
    }
    long removed = 0;
    ScanParams params = new ScanParams().match(keys.prefix(view.name(), view.version()) + ":*").count(1000);
    String cursor = ScanParams.SCAN_POINTER_START;
    do {
      ScanResult<String> page = jedis.scan(cursor, params);
      cursor = page.getCursor();
      if (page.getResult().isEmpty()) {
        continue;
      }
      Map<Integer, List<String>> bySlot = new java.util.TreeMap<>();
      page.getResult().forEach(k -> bySlot.computeIfAbsent(ClusterTopology.slot(k), s -> new ArrayList<>()).add(k));
      List<Response<Object>> counts = new ArrayList<>(bySlot.size());
      Pipeline pipeline = jedis.pipelined();
      for (List<String> slotKeys : bySlot.values()) {
        counts.add(pipeline.eval(SWEEP_SCRIPT, slotKeys, List.of(runId)));
      }
      pipeline.sync();
      for (Response<Object> count : counts) {
        removed += (Long) count.get();
      }
    } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    return removed;
  }

  /**
   * Sweeps the view's keys on one server, a page per {@link #SWEEP_PAGE_SCRIPT} call. (On a
   * cluster node, {@link #sweepNode} declares each slot's keys to a script instead.)
   */
  private long sweepServer(Jedis jedis, RegisteredView view, String runId) {
    String pattern = keys.prefix(view.name(), view.version()) + ":*";
    long removed = 0;
    String cursor = ScanParams.SCAN_POINTER_START;
    do {
      List<?> reply = (List<?>) jedis.eval(SWEEP_PAGE_SCRIPT, List.of(), List.of(cursor, pattern, "1000", runId));
      cursor = (String) reply.get(0);
      removed += (Long) reply.get(1);
    } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    return removed;
  }

  private static scala.collection.immutable.Seq<String> asSeq(List<String> names) {
    return scala.jdk.javaapi.CollectionConverters.asScala(names).toList();
  }
}
