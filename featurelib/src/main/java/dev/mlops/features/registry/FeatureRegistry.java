package dev.mlops.features.registry;

import dev.mlops.core.runs.JobRun;
import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.TableVersion;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.features.Constraints;
import dev.mlops.features.Entity;
import dev.mlops.features.Feature;
import dev.mlops.features.FeatureErrors;
import dev.mlops.features.FeatureRef;
import dev.mlops.features.FeatureRepo;
import dev.mlops.features.FeatureService;
import dev.mlops.features.FeatureView;
import dev.mlops.features.JoinKey;
import dev.mlops.features.ValueType;
import io.delta.tables.DeltaTable;
import io.delta.tables.DeltaTableBuilder;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The feature registry: which view and service versions were applied, with their full
 * definitions, and every materialization. Delta tables in the {@code features} database, read by
 * SQL users as well:
 *
 * <ul>
 *   <li>{@code features.registry_views}: one row per view version;
 *   <li>{@code features.registry_services}: one row per service version;
 *   <li>{@code features.materializations}: one row per materialization (range, rows, version, run).
 * </ul>
 *
 * <p>Each instance reads a registry table once per Delta version and answers lookups from those
 * rows until the table changes. Thread-safe as far as the session is.
 */
public final class FeatureRegistry {
  public static final TableName VIEWS = TableName.parse("features.registry_views");
  public static final TableName SERVICES = TableName.parse("features.registry_services");
  public static final TableName MATERIALIZATIONS = TableName.parse("features.materializations");

  private static final StructType KEY = new StructType().add("name", DataTypes.StringType).add("type", DataTypes.StringType);
  private static final StructType FEATURE = new StructType()
      .add("name", DataTypes.StringType).add("type", DataTypes.StringType).add("description", DataTypes.StringType)
      .add("nullable", DataTypes.BooleanType).add("min", DataTypes.DoubleType).add("max", DataTypes.DoubleType)
      .add("allowed", DataTypes.createArrayType(DataTypes.StringType));
  static final StructType VIEW_SCHEMA = new StructType()
      .add("view", DataTypes.StringType, false)
      .add("version", DataTypes.IntegerType, false)
      .add("kind", DataTypes.StringType, false)
      .add("table_name", DataTypes.StringType, false)
      .add("entities", DataTypes.createArrayType(DataTypes.StringType), false)
      .add("join_keys", DataTypes.createArrayType(KEY), false)
      .add("ttl_seconds", DataTypes.LongType, false)
      .add("features", DataTypes.createArrayType(FEATURE), false)
      .add("owner", DataTypes.StringType, false)
      .add("description", DataTypes.StringType, false)
      .add("tags", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType), false)
      .add("definition", DataTypes.StringType, false)
      .add("semantic_hash", DataTypes.StringType, false)
      .add("applied_at", DataTypes.TimestampType, false)
      .add("run_id", DataTypes.StringType, false);
  private static final StructType REF = new StructType()
      .add("view", DataTypes.StringType).add("view_version", DataTypes.IntegerType)
      .add("feature", DataTypes.StringType).add("output_name", DataTypes.StringType);
  static final StructType SERVICE_SCHEMA = new StructType()
      .add("service", DataTypes.StringType, false)
      .add("version", DataTypes.IntegerType, false)
      .add("features", DataTypes.createArrayType(REF), false)
      .add("owner", DataTypes.StringType, false)
      .add("description", DataTypes.StringType, false)
      .add("definition", DataTypes.StringType, false)
      .add("semantic_hash", DataTypes.StringType, false)
      .add("applied_at", DataTypes.TimestampType, false)
      .add("run_id", DataTypes.StringType, false);
  static final StructType MATERIALIZATION_SCHEMA = new StructType()
      .add("view", DataTypes.StringType, false)
      .add("version", DataTypes.IntegerType, false)
      .add("table_name", DataTypes.StringType, false)
      .add("start_ts", DataTypes.TimestampType, false)
      .add("end_ts", DataTypes.TimestampType, false)
      .add("rows", DataTypes.LongType, false)
      .add("delta_version", DataTypes.LongType, false)
      .add("run_id", DataTypes.StringType, false)
      .add("materialized_at", DataTypes.TimestampType, false);

  private final Warehouse warehouse;
  private final Clock clock;
  private final Map<TableName, Snapshot> snapshots = new java.util.concurrent.ConcurrentHashMap<>();

  /** A registry table's rows at one Delta version. */
  private record Snapshot(Warehouse.State state, List<Row> rows) {}

  /**
   * @param warehouse where the registry tables live
   * @param clock the clock for application times
   */
  public FeatureRegistry(Warehouse warehouse, Clock clock) {
    this.warehouse = warehouse;
    this.clock = clock;
  }

  /**
   * Registers the repository's definitions. New view versions get their (empty) feature table;
   * changed descriptions, owners or tags are updated; a changed definition under a registered
   * version is refused, nothing is written, and the message shows the diff.
   */
  public ApplyResult apply(FeatureRepo repo, JobRun run) {
    Changes changes = new Changes();
    Timestamp now = Timestamp.from(clock.instant());
    compareViews(repo, now, run, changes);
    compareServices(repo, now, run, changes);
    if (!changes.refused.isEmpty()) {
      throw FeatureErrors.applyRefused(changes.refused);
    }
    for (FeatureView v : changes.newViews) {
      createTable(v);
    }
    if (!changes.viewRows.isEmpty()) {
      run.output(warehouse.upsert(warehouse.spark().createDataFrame(changes.viewRows, VIEW_SCHEMA), VIEWS,
          List.of("view", "version"), run.commitInfo()));
    }
    if (!changes.serviceRows.isEmpty()) {
      run.output(warehouse.upsert(warehouse.spark().createDataFrame(changes.serviceRows, SERVICE_SCHEMA), SERVICES,
          List.of("service", "version"), run.commitInfo()));
    }
    return new ApplyResult(changes.created, changes.updated, changes.unchanged);
  }

  /** What applying a repository changes: what it says of each definition, and the rows and tables to write. */
  private static final class Changes {
    final List<String> created = new ArrayList<>();
    final List<String> updated = new ArrayList<>();
    final List<String> unchanged = new ArrayList<>();
    final List<String> refused = new ArrayList<>();
    final List<FeatureView> newViews = new ArrayList<>();
    final List<Row> viewRows = new ArrayList<>();
    final List<Row> serviceRows = new ArrayList<>();
  }

  /** Compares the repository's views with the registered ones: new, described differently, unchanged or refused. */
  private void compareViews(FeatureRepo repo, Timestamp now, JobRun run, Changes changes) {
    Map<String, RegisteredView> views = new LinkedHashMap<>();
    views().forEach(v -> views.put(v.name() + "@" + v.version(), v));
    for (FeatureView v : repo.views()) {
      Map<String, String> full = DefinitionCodec.flatten(v, false);
      String semantic = DefinitionCodec.hash(DefinitionCodec.flatten(v, true));
      RegisteredView old = views.get(v.name() + "@" + v.version());
      if (old == null) {
        changes.created.add("view " + v.id());
        changes.newViews.add(v);
        changes.viewRows.add(viewRow(v, full, semantic, now, run.runId()));
      } else if (!old.semanticHash().equals(semantic)) {
        changes.refused.add("view " + v.id() + " is already applied with a different definition; bump its version to"
            + " change it:\n    " + String.join("\n    ", DefinitionCodec.diff(old.definition(), full)));
      } else if (!old.definition().equals(full)) {
        changes.updated.add("view " + v.id() + " (" + String.join("; ", DefinitionCodec.diff(old.definition(), full))
            + ")");
        changes.viewRows.add(viewRow(v, full, semantic, Timestamp.from(old.appliedAt()), run.runId()));
      } else {
        changes.unchanged.add("view " + v.id());
      }
    }
  }

  /** Compares the repository's services with the registered ones: new, described differently, unchanged or refused. */
  private void compareServices(FeatureRepo repo, Timestamp now, JobRun run, Changes changes) {
    Map<String, Row> serviceRows = new LinkedHashMap<>();
    rows(SERVICES).forEach(r -> serviceRows.put(r.getString(0) + "@" + r.getInt(1), r));
    for (FeatureService s : repo.services()) {
      Map<String, String> full = DefinitionCodec.flatten(s, false);
      String semantic = DefinitionCodec.hash(DefinitionCodec.flatten(s, true));
      Row old = serviceRows.get(s.name() + "@" + s.version());
      if (old == null) {
        changes.created.add("service " + s.id());
        changes.serviceRows.add(serviceRow(s, full, semantic, now, run.runId()));
      } else if (!old.getString(6).equals(semantic)) {
        changes.refused.add("service " + s.id() + " is already applied with different features; bump its version to"
            + " change it:\n    "
            + String.join("\n    ", DefinitionCodec.diff(DefinitionCodec.fromJson(old.getString(5)), full)));
      } else if (!DefinitionCodec.fromJson(old.getString(5)).equals(full)) {
        changes.updated.add("service " + s.id());
        changes.serviceRows.add(serviceRow(s, full, semantic, old.getTimestamp(7), run.runId()));
      } else {
        changes.unchanged.add("service " + s.id());
      }
    }
  }

  /** Every registered view version, by name then version. */
  public List<RegisteredView> views() {
    return rows(VIEWS).stream().map(FeatureRegistry::view)
        .sorted(Comparator.comparing(RegisteredView::name).thenComparingInt(RegisteredView::version)).toList();
  }

  /** The registered view {@code name} at {@code version}, or its highest version when null. */
  public RegisteredView view(String name, Integer version) {
    List<RegisteredView> all = views();
    return all.stream().filter(v -> v.name().equals(name) && (version == null || v.version() == version))
        .max(Comparator.comparingInt(RegisteredView::version))
        .orElseThrow(() -> FeatureErrors.viewNotRegistered(name, version, all.stream().map(RegisteredView::id).toList()));
  }

  /** Every registered service version. */
  public List<RegisteredService> services() {
    return rows(SERVICES).stream().map(FeatureRegistry::service)
        .sorted(Comparator.comparing(RegisteredService::name).thenComparingInt(RegisteredService::version)).toList();
  }

  /** The registered service {@code name} at {@code version}, or its highest version when null. */
  public RegisteredService service(String name, Integer version) {
    List<RegisteredService> all = services();
    return all.stream().filter(s -> s.name().equals(name) && (version == null || s.version() == version))
        .max(Comparator.comparingInt(RegisteredService::version))
        .orElseThrow(() -> FeatureErrors.serviceNotRegistered(name, version, all.stream().map(RegisteredService::id).toList()));
  }

  /** Records a materialization. */
  public void recordMaterialization(Materialization m, RegisteredView view, JobRun run) {
    Row row = RowFactory.create(m.view(), m.version(), view.table().toString(), Timestamp.from(m.start()),
        Timestamp.from(m.end()), m.rows(), m.deltaVersion(), m.runId(), Timestamp.from(m.materializedAt()));
    run.output(warehouse.write(warehouse.spark().createDataFrame(List.of(row), MATERIALIZATION_SCHEMA),
        MATERIALIZATIONS).commitInfo(run.commitInfo()).commit());
  }

  /** The materializations of a view version, oldest first. */
  public List<Materialization> materializations(String view, int version) {
    return rows(MATERIALIZATIONS).stream().filter(r -> r.getString(0).equals(view) && r.getInt(1) == version)
        .sorted(Comparator.comparing(r -> r.getTimestamp(8)))
        .map(r -> new Materialization(r.getString(0), r.getInt(1), r.getTimestamp(3).toInstant(),
            r.getTimestamp(4).toInstant(), r.getLong(5), r.getLong(6), r.getString(7), r.getTimestamp(8).toInstant()))
        .toList();
  }

  /**
   * Where a view version's table is materialized up to, as of Delta version {@code asOf} of its
   * table: the end of the latest range a materialization at or before that version covered.
   */
  public Optional<Instant> materializedUntil(String view, int version, long asOf) {
    return materializations(view, version).stream().filter(m -> m.deltaVersion() <= asOf).map(Materialization::end)
        .max(Instant::compareTo);
  }

  /** The current Delta version of a view's table. */
  public Optional<TableVersion> tableVersion(RegisteredView view) {
    return warehouse.currentVersion(view.table()).map(v -> new TableVersion(view.table(), v));
  }

  /**
   * The rows of a registry table as of its current Delta version (none when it does not exist),
   * read once per version: a job looks up views, services and materializations many times, and
   * each lookup would otherwise be a Spark job or two. A commit by anyone makes a new version,
   * read on the next lookup, and so is a table dropped and created again (a new Delta table id).
   */
  private List<Row> rows(TableName table) {
    Optional<Warehouse.State> state = warehouse.currentState(table);
    if (state.isEmpty()) {
      return List.of();
    }
    Snapshot known = snapshots.get(table);
    if (known != null && known.state().equals(state.get())) {
      return known.rows();
    }
    List<Row> rows = List.copyOf(warehouse.read(new TableVersion(table, state.get().version())).collectAsList());
    snapshots.put(table, new Snapshot(state.get(), rows));
    return rows;
  }

  private void createTable(FeatureView v) {
    TableName table = v.table();
    if (warehouse.exists(table)) {
      throw FeatureErrors.tableNotOwned(v.id(), table);
    }
    warehouse.ensureDatabase(table.database());
    String hash = DefinitionCodec.hash(DefinitionCodec.flatten(v, true));
    // The builder, not CREATE TABLE: Spark's DDL refuses generated columns on a Delta table.
    DeltaTableBuilder create = DeltaTable.create(warehouse.spark()).tableName(table.toString())
        .location(warehouse.location(table));
    for (StructField f : FeatureTables.schema(v.joinKeys(), v.features()).fields()) {
      create = create.addColumn(f.name(), f.dataType()); // nullable, as the tables have always been
    }
    create.addColumn(DeltaTable.columnBuilder(warehouse.spark(), FeatureTables.MONTH).dataType(DataTypes.DateType)
            .generatedAlwaysAs(FeatureTables.MONTH_EXPRESSION).build())
        .partitionedBy(FeatureTables.MONTH)
        .property("delta.enableChangeDataFeed", "true")
        .property("mlops.view", v.name())
        .property("mlops.view_version", String.valueOf(v.version()))
        .property("mlops.definition_hash", hash)
        .comment(v.description())
        .execute();
  }

  private static Row viewRow(FeatureView v, Map<String, String> full, String semantic, Timestamp appliedAt, String runId) {
    List<Row> keys = v.joinKeys().stream().map(k -> RowFactory.create(k.name(), k.type().sqlName())).toList();
    List<Row> features = v.features().stream().map(f -> RowFactory.create(f.name(), f.type().sqlName(), f.description(),
        f.constraints().nullable(), f.constraints().min(), f.constraints().max(), f.constraints().allowed().toArray()))
        .toList();
    String kind = v.query() instanceof dev.mlops.features.ViewQuery.Aggregation ? "aggregation" : "sql";
    return RowFactory.create(v.name(), v.version(), kind, v.table().toString(),
        v.entities().stream().map(Entity::name).toArray(), keys.toArray(), v.ttl().toSeconds(), features.toArray(),
        v.owner(), v.description(), v.tags(), DefinitionCodec.json(full), semantic,
        appliedAt, runId);
  }

  private static Row serviceRow(FeatureService s, Map<String, String> full, String semantic, Timestamp appliedAt, String runId) {
    List<Row> refs = s.features().stream()
        .map(f -> RowFactory.create(f.view(), f.viewVersion(), f.feature(), f.outputName())).toList();
    return RowFactory.create(s.name(), s.version(), refs.toArray(), s.owner(), s.description(), DefinitionCodec.json(full),
        semantic, appliedAt, runId);
  }

  private static RegisteredView view(Row r) {
    List<JoinKey> keys = r.<Row>getList(5).stream()
        .map(k -> new JoinKey(k.getString(0), ValueType.parse(k.getString(1)).orElseThrow())).toList();
    List<Feature> features = r.<Row>getList(7).stream().map(f -> new Feature(f.getString(0),
        ValueType.parse(f.getString(1)).orElseThrow(), f.getString(2),
        new Constraints(f.getBoolean(3), f.isNullAt(4) ? null : f.getDouble(4), f.isNullAt(5) ? null : f.getDouble(5),
            f.<String>getList(6)))).toList();
    return new RegisteredView(r.getString(0), r.getInt(1), r.getString(2), TableName.parse(r.getString(3)),
        r.<String>getList(4), keys, Duration.ofSeconds(r.getLong(6)), features, r.getString(8), r.getString(9),
        r.getJavaMap(10), DefinitionCodec.fromJson(r.getString(11)), r.getString(12), r.getTimestamp(13).toInstant());
  }

  private static RegisteredService service(Row r) {
    List<FeatureRef> refs = r.<Row>getList(2).stream()
        .map(f -> new FeatureRef(f.getString(0), f.getInt(1), f.getString(2), f.getString(3))).toList();
    return new RegisteredService(r.getString(0), r.getInt(1), refs, r.getString(3), r.getString(4), r.getString(6),
        r.getTimestamp(7).toInstant());
  }
}
