package dev.mlops.monitoring.engines;

import static org.apache.spark.sql.functions.col;

import dev.mlops.core.runs.JobRun;
import dev.mlops.core.spark.Identifiers;
import dev.mlops.monitoring.ColumnDrift;
import dev.mlops.monitoring.DriftInput;
import dev.mlops.monitoring.DriftJudge;
import dev.mlops.monitoring.DriftSide;
import dev.mlops.monitoring.MonitoringErrors;
import dev.mlops.monitoring.Reference;
import dev.mlops.monitoring.drift.FrequentItemsCategorical;
import dev.mlops.monitoring.drift.KllNumeric;
import dev.mlops.validation.profiles.PartitionProfiler;
import dev.mlops.validation.profiles.PartitionProfiler.Kind;
import dev.mlops.validation.profiles.PartitionProfiler.ProfiledColumn;
import dev.mlops.validation.profiles.ProfileKey;
import dev.mlops.validation.profiles.ProfileStore;
import dev.mlops.validation.sketches.FrequentItemsState;
import dev.mlops.validation.sketches.KllState;
import dev.mlops.validation.sketches.SketchState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Drift from sketches: each partition's profile (a KLL sketch of each numeric column, a
 * frequent-items sketch of each categorical one) as validation stored it in
 * {@code validation.profiles}, and the reference's, merged across partitions when the reference is
 * a range of them. No row is read for a profile that is stored; the partitions (and a reference)
 * without one are profiled in one pass and stored, so the next run reads them.
 *
 * <p>Immutable and thread-safe as far as the session is.
 */
public final class SketchDriftEngine implements DriftEngine {
  private final ProfileStore profiles;

  public SketchDriftEngine(ProfileStore profiles) {
    this.profiles = profiles;
  }

  @Override
  public String name() {
    return "sketch";
  }

  @Override
  public List<ColumnDrift> compare(DriftInput input, DriftJudge judge, JobRun run) {
    Map<String, Map<String, SketchState<?>>> current = partitionProfiles(input, input.partitions(), run);
    Map<String, SketchState<?>> reference = referenceProfile(input, run);
    List<ColumnDrift> out = new ArrayList<>();
    for (String partition : input.partitions()) {
      for (ProfiledColumn c : input.columns()) {
        SketchState<?> ref = reference.get(c.name());
        if (ref == null) {
          throw MonitoringErrors.referenceColumnMissing(c.name(), input.reference().describe(),
              new ArrayList<>(reference.keySet()));
        }
        SketchState<?> cur = current.get(partition).get(c.name());
        out.add(c.kind() == Kind.NUMERIC
            ? judge.numeric(c.name(), partition, KllNumeric.of(((KllState) ref).sketch()), KllNumeric.of(((KllState) cur).sketch()))
            : judge.categorical(c.name(), partition, FrequentItemsCategorical.of(((FrequentItemsState) ref).sketch()),
                FrequentItemsCategorical.of(((FrequentItemsState) cur).sketch())));
      }
    }
    return out;
  }

  /** The sketch kind the engine reads of each column: a KLL of a number, frequent items of a category. */
  private static Map<String, String> kinds(List<ProfiledColumn> columns) {
    Map<String, String> kinds = new LinkedHashMap<>();
    columns.forEach(c -> kinds.put(c.name(), c.kind() == Kind.NUMERIC ? KllState.KIND : FrequentItemsState.KIND));
    return kinds;
  }

  /** The profile of each of {@code partitions} of the input's table: stored, or made now and stored. */
  private Map<String, Map<String, SketchState<?>>> partitionProfiles(DriftInput input, List<String> partitions, JobRun run) {
    Map<String, ProfileKey> keys = new LinkedHashMap<>();
    partitions.forEach(p -> keys.put(p, ProfileKey.partition(input.table().table(), input.table().version(),
        input.partitionColumn(), p).withRows(input.rowSubset())));
    List<String> names = input.columns().stream().map(ProfiledColumn::name).toList();
    Map<ProfileKey, Map<String, SketchState<?>>> stored = profiles.read(keys.values(), kinds(input.columns()));
    List<String> missing = partitions.stream().filter(p -> !complete(stored.get(keys.get(p)), names)).toList();
    Map<String, Map<String, SketchState<?>>> out = new LinkedHashMap<>();
    keys.forEach((p, k) -> {
      if (!missing.contains(p)) {
        out.put(p, stored.get(k));
      }
    });
    if (!missing.isEmpty()) {
      Column partition = Identifiers.column(input.partitionColumn());
      Dataset<Row> rows = input.rows().where(partition.cast("string").isin(missing.toArray()));
      Map<String, Map<String, SketchState<?>>> made = PartitionProfiler.profile(rows, partition, input.columns());
      Map<ProfileKey, Map<String, SketchState<?>>> toStore = new LinkedHashMap<>();
      for (String p : missing) {
        if (!made.containsKey(p)) {
          throw MonitoringErrors.partitionEmpty(input.table().table().toString(), input.partitionColumn(), p);
        }
        out.put(p, made.get(p));
        toStore.put(keys.get(p), made.get(p));
      }
      profiles.write(toStore, run);
    }
    return out;
  }

  /** The reference's profile by column: its tables' stored profiles (made when missing), or its partitions' merged. */
  private Map<String, SketchState<?>> referenceProfile(DriftInput input, JobRun run) {
    if (input.reference() instanceof Reference.Partitions range) {
      Map<String, SketchState<?>> merged = new LinkedHashMap<>();
      partitionProfiles(input, range.partitions(), run).values().forEach(byColumn -> byColumn.forEach((column, state) ->
          merged.merge(column, copy(state), SketchDriftEngine::merge)));
      return merged;
    }
    Map<String, SketchState<?>> out = new LinkedHashMap<>();
    for (DriftSide side : ((Reference.Whole) input.reference()).sides()) {
      List<String> names = side.columns().stream().map(ProfiledColumn::name).toList();
      Map<String, SketchState<?>> stored = profiles.read(List.of(side.key()), kinds(side.columns())).get(side.key());
      if (!complete(stored, names)) {
        stored = PartitionProfiler.profile(side.rows(), null, side.columns()).get("");
        if (stored == null) {
          throw MonitoringErrors.referenceEmpty(side.key().table() + "@" + side.key().version());
        }
        profiles.write(Map.of(side.key(), stored), run);
      }
      out.putAll(stored);
    }
    return out;
  }

  private static boolean complete(Map<String, SketchState<?>> profile, List<String> columns) {
    return profile != null && profile.keySet().containsAll(columns);
  }

  private static SketchState<?> copy(SketchState<?> state) {
    return SketchState.fromBytes(state.kind(), state.toBytes());
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static SketchState<?> merge(SketchState<?> a, SketchState<?> b) {
    return (SketchState<?>) ((SketchState) a).merge(b);
  }
}
