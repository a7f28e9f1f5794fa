package dev.mlops.features.pit;

import static org.apache.spark.sql.functions.col;

import dev.mlops.core.runs.JobRun;
import dev.mlops.core.spark.Identifiers;
import dev.mlops.core.tables.TableVersion;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.features.FeatureErrors;
import dev.mlops.features.FeatureRef;
import dev.mlops.features.JoinKey;
import dev.mlops.features.registry.FeatureRegistry;
import dev.mlops.features.registry.FeatureTables;
import dev.mlops.features.registry.RegisteredService;
import dev.mlops.features.registry.RegisteredView;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * Point-in-time correct feature retrieval for a spine (training sets, and scoring inputs): every
 * feature of a service as it was at each spine row's time, with no leakage from later rows. Each
 * view is read at a pinned Delta version (its current one unless given), so the same call with
 * the same pins returns the same rows after later materializations or corrections.
 *
 * <p>The spine needs the join key columns of the service's views (by name) and a time column.
 * Views that share join keys are joined in one pass: a shuffle of the spine to meet them, and
 * none for the smallest of them, whose rows together are few enough ({@link #BROADCAST_ROWS}) to
 * broadcast. Thread-safe as far as the session is.
 */
public final class HistoricalRetrieval {
  /**
   * Feature rows of views sharing join keys up to which they are broadcast to every task
   * together instead of shuffling the spine to meet them.
   */
  public static final long BROADCAST_ROWS = 250_000L;

  /** The Spark setting that overrides {@link #BROADCAST_ROWS} for a session (0: never broadcast). */
  public static final String BROADCAST_ROWS_SETTING = "spark.mlops.pit.broadcastRows";

  private final Warehouse warehouse;
  private final FeatureRegistry registry;

  public HistoricalRetrieval(Warehouse warehouse, FeatureRegistry registry) {
    this.warehouse = warehouse;
    this.registry = registry;
  }

  /**
   * The earliest and latest time of the spine's rows in microseconds since the epoch, as the join
   * reads them (a date is its midnight UTC, whatever the session's time zone), or null when no
   * row has a time (or the column is neither a timestamp nor a date: the join names that).
   */
  private static long[] timeRange(Dataset<Row> spine, String timeColumn) {
    org.apache.spark.sql.types.DataType type = spine.schema().apply(timeColumn).dataType();
    boolean date = type.equals(org.apache.spark.sql.types.DataTypes.DateType);
    if (!date && !type.equals(org.apache.spark.sql.types.DataTypes.TimestampType)) {
      return null;
    }
    String micros = date ? "unix_date(" + Identifiers.quote(timeColumn) + ") * 86400000000L" : "unix_micros(" + Identifiers.quote(timeColumn) + ")";
    Row range = spine.selectExpr("min(" + micros + ")", "max(" + micros + ")").first();
    return range.isNullAt(0) ? null : new long[] {range.getLong(0), range.getLong(1)};
  }

  /**
   * Fails when a spine row's time lies beyond what a view is materialized up to: its features
   * would be stale, silently. Names the view and the missing range.
   */
  private void checkCoverage(java.time.Instant last, List<ViewPin> pins) {
    for (ViewPin p : pins) {
      java.util.Optional<java.time.Instant> until = registry.materializedUntil(p.view(), p.viewVersion(), p.table().version());
      if (until.isEmpty()) {
        throw FeatureErrors.notMaterialized(p.view(), p.viewVersion(), p.table());
      }
      if (!last.isBefore(until.get())) {
        throw FeatureErrors.staleFeatures(p.view(), p.viewVersion(), until.get(), last);
      }
    }
  }

  /**
   * The rows of a side that some spine row can match: none after the spine's latest time, none
   * older than its earliest time minus the side's TTL. The bounds are literals on the feature time
   * column, so Delta skips the files outside by their statistics: a day's scoring does not read
   * a year of history.
   */
  private static AsOfJoin.Side matchable(AsOfJoin.Side side, long[] range) {
    Column ft = Identifiers.column(side.featureTime());
    Column bounds = ft.leq(org.apache.spark.sql.functions.timestamp_micros(org.apache.spark.sql.functions.lit(range[1])));
    long earliest = range[0] - side.ttlMicros();
    if (side.ttlMicros() >= 0 && earliest <= range[0]) { // no overflow
      bounds = bounds.and(ft.geq(org.apache.spark.sql.functions.timestamp_micros(org.apache.spark.sql.functions.lit(earliest))));
    }
    return new AsOfJoin.Side(side.rows().where(bounds), side.keyColumns(), side.featureTime(), side.createdTime(),
        side.features(), side.outputNames(), side.ttlMicros());
  }

  /** A view's side of the join with its row count. */
  record SizedSide(AsOfJoin.Side side, long rows) {}

  /** Views sharing join keys, joined in one pass: shuffled, or broadcast. */
  record JoinUnit(List<JoinKey> keys, List<AsOfJoin.Side> sides, long rows, boolean broadcast, int width) {}

  /**
   * The passes of the join, in the order they run. Of each set of views sharing join keys, the
   * smallest go into one broadcast pass for as long as their rows together stay within
   * {@code broadcastRows}; the others share one shuffled pass. A small view keyed like a large one
   * (a customer's profile beside their spend) thus costs no shuffle, and the large one is joined
   * alone, without packing values of several views. Each shuffle carries the features of the passes
   * before it, so the narrowest shuffled passes go first and the broadcast ones, which shuffle
   * nothing, last.
   */
  static List<JoinUnit> joinUnits(Map<List<JoinKey>, List<SizedSide>> byKeys, long broadcastRows) {
    List<JoinUnit> units = new ArrayList<>();
    for (Map.Entry<List<JoinKey>, List<SizedSide>> e : byKeys.entrySet()) {
      List<SizedSide> sized = new ArrayList<>(e.getValue());
      sized.sort(java.util.Comparator.comparingLong(SizedSide::rows));
      List<SizedSide> broadcast = new ArrayList<>();
      long broadcastTotal = 0;
      for (SizedSide s : sized) {
        if (broadcastTotal + s.rows() > broadcastRows) {
          break;
        }
        broadcast.add(s);
        broadcastTotal += s.rows();
      }
      List<SizedSide> shuffled = sized.subList(broadcast.size(), sized.size());
      for (List<SizedSide> part : List.of(broadcast, shuffled)) {
        if (!part.isEmpty()) {
          units.add(new JoinUnit(e.getKey(), part.stream().map(SizedSide::side).toList(),
              part.stream().mapToLong(SizedSide::rows).sum(), part == broadcast,
              part.stream().mapToInt(s -> s.side().features().size()).sum()));
        }
      }
    }
    units.sort(java.util.Comparator.comparing(JoinUnit::broadcast).thenComparingInt(JoinUnit::width));
    return units;
  }

  /** The feature rows up to which views sharing join keys are broadcast: the session's {@link #BROADCAST_ROWS_SETTING}. */
  private long broadcastRows() {
    return Long.parseLong(warehouse.spark().conf().get(BROADCAST_ROWS_SETTING, String.valueOf(BROADCAST_ROWS)));
  }

  /**
   * The training set of {@code spine} for service {@code serviceName}.
   *
   * @param serviceVersion the service version, or null for its highest
   * @param timeColumn the spine's time column
   * @param pins Delta versions by view name; views not named are read at their current version
   * @param run the run to record the views read as inputs of, or null
   */
  public TrainingSet retrieve(String serviceName, Integer serviceVersion, Dataset<Row> spine, String timeColumn,
      Map<String, Long> pins, JobRun run) {
    RegisteredService service = registry.service(serviceName, serviceVersion);
    Map<String, List<FeatureRef>> byView = new LinkedHashMap<>();
    for (FeatureRef f : service.features()) {
      byView.computeIfAbsent(f.view() + "@" + f.viewVersion(), k -> new ArrayList<>()).add(f);
    }
    Set<String> pinnedViews = new HashSet<>(pins.keySet());
    List<ViewPin> used = new ArrayList<>();
    Map<List<JoinKey>, List<SizedSide>> byKeys = new LinkedHashMap<>();
    for (List<FeatureRef> refs : byView.values()) {
      RegisteredView view = registry.view(refs.get(0).view(), refs.get(0).viewVersion());
      pinnedViews.remove(view.name());
      TableVersion pinned = pinned(view, pins.get(view.name()));
      used.add(new ViewPin(view.name(), view.version(), pinned));
      if (run != null) {
        run.input(pinned);
      }
      Dataset<Row> rows = warehouse.read(pinned);
      byKeys.computeIfAbsent(view.joinKeys(), k -> new ArrayList<>()).add(new SizedSide(new AsOfJoin.Side(rows,
          view.joinKeys().stream().map(JoinKey::name).toList(), FeatureTables.FEATURE_TS, FeatureTables.CREATED_TS,
          refs.stream().map(FeatureRef::feature).toList(), refs.stream().map(FeatureRef::outputName).toList(),
          view.ttl().toSeconds() * 1_000_000L), rows.count()));
    }
    if (!pinnedViews.isEmpty()) {
      throw FeatureErrors.pinsNotInService(pinnedViews, service.id(), used.stream().map(ViewPin::view).toList());
    }
    requireKeys(service, spine, byKeys.keySet());
    spine = widenedKeys(spine, byKeys);
    long[] range = List.of(spine.columns()).contains(timeColumn) ? timeRange(spine, timeColumn) : null;
    if (range != null) {
      checkCoverage(java.time.Instant.EPOCH.plus(range[1], java.time.temporal.ChronoUnit.MICROS), used);
    }
    Dataset<Row> result = AsOfJoin.joinAll(spine, timeColumn, passes(byKeys, range), range == null ? Long.MIN_VALUE : range[0]);
    List<Column> order = new ArrayList<>(Identifiers.columnList(List.of(spine.columns())));
    for (FeatureRef f : service.features()) {
      order.add(Identifiers.column(f.outputName()));
    }
    return new TrainingSet(result.select(order.toArray(Column[]::new)), service, used);
  }

  /** {@code view}'s table at {@code version}, or at its current version when none is given. */
  private TableVersion pinned(RegisteredView view, Long version) {
    long current = warehouse.current(view.table()).version();
    if (version != null && (version < 0 || version > current)) {
      throw FeatureErrors.pinOutOfRange(view.id(), version, view.table(), current);
    }
    return new TableVersion(view.table(), version == null ? current : version);
  }

  private static void requireKeys(RegisteredService service, Dataset<Row> spine, java.util.Collection<List<JoinKey>> keySets) {
    for (String k : keySets.stream().flatMap(List::stream).map(JoinKey::name).distinct().toList()) {
      if (!List.of(spine.columns()).contains(k)) {
        throw FeatureErrors.spineKeyMissing(service.id(), k, List.of(spine.columns()));
      }
    }
  }

  /**
   * The spine with each integer join key that is narrower than the feature tables' (an {@code int}
   * against a {@code bigint} entity key: a CSV reader types small integers as {@code int}) cast to
   * their type. Lossless, so done rather than refused; other differences stay the join's errors.
   */
  private static Dataset<Row> widenedKeys(Dataset<Row> spine, Map<List<JoinKey>, List<SizedSide>> byKeys) {
    for (List<SizedSide> sides : byKeys.values()) {
      AsOfJoin.Side side = sides.get(0).side();
      for (int k = 0; k < side.keyColumns().size(); k++) {
        String key = side.keyColumns().get(k);
        DataType theirs = side.rows().schema().apply(key).dataType();
        DataType ours = spine.schema().apply(key).dataType();
        if (rank(ours) >= 0 && rank(ours) < rank(theirs)) {
          spine = spine.withColumn(key, Identifiers.column(key).cast(theirs));
        }
      }
    }
    return spine;
  }

  /** The width of an integer type, -1 for other types. */
  private static int rank(DataType type) {
    return List.<DataType>of(DataTypes.ByteType, DataTypes.ShortType, DataTypes.IntegerType, DataTypes.LongType).indexOf(type);
  }

  /**
   * The join's passes: the views grouped by join keys into units, each broadcast or shuffled, the
   * feature rows no spine row can match left out when the spine's time range is known.
   */
  private List<AsOfJoin.Pass> passes(Map<List<JoinKey>, List<SizedSide>> byKeys, long[] range) {
    List<JoinUnit> units = joinUnits(byKeys, broadcastRows());
    int minimum = Integer.parseInt(warehouse.spark().conf().get("spark.sql.shuffle.partitions"));
    long shuffledRows = units.stream().filter(u -> !u.broadcast()).mapToLong(JoinUnit::rows).sum();
    List<AsOfJoin.Pass> passes = new ArrayList<>();
    for (JoinUnit unit : units) {
      List<AsOfJoin.Side> sides = range == null ? unit.sides() : unit.sides().stream().map(side -> matchable(side, range)).toList();
      List<String> keys = unit.keys().stream().map(JoinKey::name).toList();
      passes.add(unit.broadcast() ? new AsOfJoin.Pass(keys, sides, true, 0)
          : AsOfJoin.Pass.shuffled(keys, sides, shuffledRows, minimum));
    }
    return passes;
  }
}
