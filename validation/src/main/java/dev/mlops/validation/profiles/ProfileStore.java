package dev.mlops.validation.profiles;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.row_number;

import dev.mlops.core.runs.JobRun;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.validation.ValidationTables;
import dev.mlops.validation.sketches.SketchState;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;

/**
 * The sketches kept in {@code validation.profiles}, addressed by {@link ProfileKey}: validation
 * stores those of the columns a suite profiles, and monitoring reads them to measure drift without
 * rescanning the data (and stores the ones it had to compute). A partition's profile stays valid
 * while no later commit added or removed files of that partition; the whole table's, for the
 * version profiled.
 *
 * <p>Thread-safe as far as the warehouse's session is.
 */
public final class ProfileStore {
  private final Warehouse warehouse;
  private final Clock clock;

  public ProfileStore(Warehouse warehouse, Clock clock) {
    this.warehouse = warehouse;
    this.clock = clock;
  }

  /**
   * The latest stored sketches of the columns of {@code kinds} for each key, each of the kind asked
   * for: by key, then by column. Validation stores several sketches of one column (a KLL and an
   * HLL of a number, say); the others are ignored. A key or a column with no stored sketch of its
   * kind, or whose partition changed since it was profiled, is absent. Partition keys are looked
   * up by table, column and value (any version since which the partition did not change);
   * whole-table keys by table and exact version.
   *
   * @param kinds by column, the {@link SketchState#kind()} wanted ({@code kll}, {@code frequent_items})
   */
  public Map<ProfileKey, Map<String, SketchState<?>>> read(Collection<ProfileKey> keys, Map<String, String> kinds) {
    Map<ProfileKey, Map<String, SketchState<?>>> found = new HashMap<>();
    if (keys.isEmpty() || kinds.isEmpty() || !warehouse.exists(ValidationTables.PROFILES)) {
      return found;
    }
    Dataset<Row> all = warehouse.read(ValidationTables.PROFILES);
    if (!List.of(all.columns()).contains(ValidationTables.PROFILE_VERSION)) {
      return found; // every row was written before profiles were addressable
    }
    boolean subsets = List.of(all.columns()).contains(ValidationTables.PROFILE_ROWS);
    for (List<ProfileKey> sameRows : group(keys).values()) {
      String rows = sameRows.get(0).rows();
      if (rows == null || subsets) {
        Dataset<Row> ofRows = !subsets ? all : rows == null ? all.where(col(ValidationTables.PROFILE_ROWS).isNull())
            : all.where(col(ValidationTables.PROFILE_ROWS).equalTo(rows));
        readTable(ofRows, sameRows.get(0).table().toString(), sameRows, kinds, found);
      }
    }
    return found;
  }

  /** Reads the profiles of {@code keys}, which share one table and one subset of rows. */
  private void readTable(Dataset<Row> all, String table, List<ProfileKey> keys, Map<String, String> kinds,
      Map<ProfileKey, Map<String, SketchState<?>>> found) {
    Column wanted = null;
    for (Map.Entry<String, String> k : kinds.entrySet()) {
      Column one = col("column").equalTo(k.getKey()).and(col("kind").equalTo(k.getValue()));
      wanted = wanted == null ? one : wanted.or(one);
    }
    Dataset<Row> rows = all.where(col("table_name").equalTo(table).and(wanted)
        .and(col(ValidationTables.PROFILE_VERSION).isNotNull()))
        .withColumn("_rank", row_number().over(Window.partitionBy("partition_column", "partition_value", "column",
            "kind", "table_version").orderBy(desc("profiled_at"))))
        .where(col("_rank").equalTo(1));
    Map<String, ProfileKey> partitions = new HashMap<>();
    Map<Long, ProfileKey> wholes = new HashMap<>();
    for (ProfileKey k : keys) {
      if (k.whole()) {
        wholes.put(k.version(), k);
      } else {
        partitions.put(k.partitionColumn() + "=" + k.partitionValue(), k);
      }
    }
    Map<String, Set<String>> changed = new HashMap<>();
    Map<ProfileKey, Long> newestVersion = new HashMap<>();
    for (Row r : rows.select("partition_column", "partition_value", "column", "kind", "sketch", "table_version")
        .collectAsList()) {
      long version = r.getLong(5);
      ProfileKey key = r.isNullAt(0) ? wholes.get(version) : partitions.get(r.getString(0) + "=" + r.getString(1));
      if (key == null || (!key.whole() && (version > key.version()
          || stale(key, version, changed)) || newestVersion.getOrDefault(key, -1L) > version)) {
        continue;
      }
      newestVersion.put(key, version);
      found.computeIfAbsent(key, k -> new HashMap<>()).put(r.getString(2), SketchState.fromBytes(r.getString(3),
          r.getAs(4)));
    }
  }

  /** Whether partition {@code key} changed between {@code profiled} and {@code key}'s version. */
  private boolean stale(ProfileKey key, long profiled, Map<String, Set<String>> changed) {
    if (profiled == key.version()) {
      return false;
    }
    Set<String> since = changed.computeIfAbsent(key.partitionColumn() + "@" + profiled, c -> {
      try {
        return warehouse.partitionsChangedSince(key.table(), profiled, key.partitionColumn());
      } catch (RuntimeException logGone) {
        return null; // the log of those versions is gone, or the column partitions no files: untrusted
      }
    });
    return since == null || since.contains(key.partitionValue());
  }

  /** {@code keys} by table and subset of rows. */
  private static Map<List<String>, List<ProfileKey>> group(Collection<ProfileKey> keys) {
    Map<List<String>, List<ProfileKey>> byTable = new HashMap<>();
    keys.forEach(k -> byTable.computeIfAbsent(Arrays.asList(k.table().toString(), k.rows()),
        t -> new ArrayList<>()).add(k));
    return byTable;
  }

  /** Appends {@code profiles} in one commit, recorded as an output of {@code run}. */
  public void write(Map<ProfileKey, Map<String, SketchState<?>>> profiles, JobRun run) {
    Timestamp now = Timestamp.from(clock.instant());
    List<Row> rows = new ArrayList<>();
    profiles.forEach((key, columns) -> columns.forEach((column, state) -> rows.add(row(key, column, state, run, now))));
    if (!rows.isEmpty()) {
      run.output(warehouse.write(warehouse.spark().createDataFrame(rows, ValidationTables.PROFILES_SCHEMA),
          ValidationTables.PROFILES).mergingSchema().commitInfo(run.commitInfo()).commit());
    }
  }

  /** One row of {@code validation.profiles}. */
  public static Row row(ProfileKey key, String column, SketchState<?> state, JobRun run, Timestamp at) {
    return RowFactory.create(key.table().toString(), key.partitionText(), column, state.kind(), state.toBytes(),
        state.count().orElse(-1), run.runId(), at, key.version(), key.partitionColumn(), key.partitionValue(), key.rows());
  }
}
