package dev.mlops.training.sets;

import static org.apache.spark.sql.functions.col;

import dev.mlops.core.PlatformException;
import dev.mlops.core.runs.JobRun;
import dev.mlops.core.spark.Identifiers;
import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.TableVersion;
import dev.mlops.features.FeatureRef;
import dev.mlops.features.FeatureStore;
import dev.mlops.features.pit.TrainingSet;
import dev.mlops.features.registry.RegisteredService;
import dev.mlops.training.TrainingErrors;
import dev.mlops.training.spec.ModelSpec;
import dev.mlops.training.spec.ModelSpecLoader.LoadedSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Builds a model's rows: the spec's spine (its source tables pinned) joined point-in-time with
 * the spec's feature service through the feature store, the one code path that training,
 * reproduction and scoring all use. Checks the spec against the real spine and service, naming
 * the spec file and key at fault. Not thread-safe (the feature store is not).
 */
public final class TrainingSetBuilder {
  private final FeatureStore store;

  public TrainingSetBuilder(FeatureStore store) {
    this.store = store;
  }

  /**
   * The spine of {@code spec} with its features.
   *
   * @param sourcePins versions of the spine's source tables (empty: current)
   * @param viewPins Delta versions of the service's view tables by view name (empty: current)
   * @param run records the tables read
   */
  public BuiltTrainingSet build(LoadedSpec spec, Map<TableName, Long> sourcePins, Map<String, Long> viewPins, JobRun run) {
    return build(spec, sourcePins, viewPins, spec.spec().featureService().version(), run);
  }

  /**
   * As {@link #build(LoadedSpec, Map, Map, JobRun)} with the feature service at
   * {@code serviceVersion} (null: the spec's, or the highest), as when rebuilding a recorded set.
   */
  public BuiltTrainingSet build(LoadedSpec spec, Map<TableName, Long> sourcePins, Map<String, Long> viewPins,
      Integer serviceVersion, JobRun run) {
    PinnedSpine pinned = PinnedSpine.of(store.warehouse(), spec.spec().spine(), sourcePins);
    Dataset<Row> spine;
    try {
      spine = store.warehouse().spark().sql(pinned.sql());
    } catch (Exception e) {
      String message = e instanceof AnalysisException a ? a.getSimpleMessage() : e.getMessage();
      throw spec.error(spec.spec().spine().query() != null ? "spine.query" : "spine.table", "cannot be read: " + message);
    }
    return build(spec, spine, pinned, viewPins, serviceVersion, run);
  }

  /** As {@link #build(LoadedSpec, Map, Map, JobRun)}, on a spine already read (scoring's day of rows). */
  public BuiltTrainingSet build(LoadedSpec spec, Dataset<Row> spine, PinnedSpine pinned, Map<String, Long> viewPins, JobRun run) {
    return build(spec, spine, pinned, viewPins, spec.spec().featureService().version(), run);
  }

  /** As {@link #build(LoadedSpec, Dataset, PinnedSpine, Map, JobRun)} with the feature service at {@code serviceVersion}. */
  public BuiltTrainingSet build(LoadedSpec spec, Dataset<Row> spine, PinnedSpine pinned, Map<String, Long> viewPins,
      Integer serviceVersion, JobRun run) {
    ModelSpec s = spec.spec();
    for (String f : s.spine().requestFeatures()) {
      if (f.equals(s.spine().label()) || f.equals(s.spine().eventTime())) {
        throw spec.error("spine.request-features", f + " is the spine's " + (f.equals(s.spine().label()) ? "label" : "event time")
            + "; a model must not take it as a feature");
      }
    }
    List<String> columns = List.of(spine.columns());
    requireColumn(spec, columns, "spine.event-time", s.spine().eventTime());
    for (int i = 0; i < s.spine().keys().size(); i++) {
      requireColumn(spec, columns, "spine.keys[" + i + "]", s.spine().keys().get(i));
    }
    for (int i = 0; i < s.spine().requestFeatures().size(); i++) {
      requireColumn(spec, columns, "spine.request-features[" + i + "]", s.spine().requestFeatures().get(i));
    }
    RegisteredService service;
    try {
      service = store.registry().service(s.featureService().name(), serviceVersion);
    } catch (PlatformException e) {
      throw spec.error("feature-service", e.getMessage());
    }
    List<String> outputs = service.features().stream().map(FeatureRef::outputName).toList();
    List<String> used = new ArrayList<>();
    for (int i = 0; i < s.features().size(); i++) {
      String f = s.features().get(i);
      if (!outputs.contains(f)) {
        throw spec.error("features[" + i + "]", "unknown feature " + f + ": not in feature service " + service.id()
            + " (its features: " + String.join(", ", outputs) + ")");
      }
      used.add(f);
    }
    if (used.isEmpty()) {
      used.addAll(outputs);
    }
    for (String f : s.spine().requestFeatures()) {
      if (outputs.contains(f)) {
        throw spec.error("spine.request-features", f + " is also a feature of " + service.id() + "; rename the spine column");
      }
    }
    TrainingSet set;
    try {
      set = store.historical(service.name(), service.version(), spine, s.spine().eventTime(), viewPins, run);
    } catch (PlatformException e) {
      throw TrainingErrors.trainingSetNotBuilt(spec.file(), e);
    }
    if (run != null) {
      pinned.sources().forEach(run::input);
    }
    List<Column> keep = new ArrayList<>();
    for (String c : columns) {
      keep.add(Identifiers.column(c));
    }
    for (String f : used) {
      keep.add(Identifiers.column(f));
    }
    List<String> featureColumns = new ArrayList<>(used);
    featureColumns.addAll(s.spine().requestFeatures());
    return new BuiltTrainingSet(set.rows().select(keep.toArray(Column[]::new)), service, featureColumns, set.pins(),
        pinned.sources(), pinned.sql());
  }

  /** The pins of a built set as the feature store takes them. */
  public static Map<String, Long> viewPins(List<dev.mlops.features.pit.ViewPin> pins) {
    Map<String, Long> out = new LinkedHashMap<>();
    pins.forEach(p -> out.put(p.view(), p.table().version()));
    return out;
  }

  /** Source pins by table. */
  public static Map<TableName, Long> sourcePins(List<TableVersion> sources) {
    Map<TableName, Long> out = new LinkedHashMap<>();
    sources.forEach(t -> out.put(t.table(), t.version()));
    return out;
  }

  private static void requireColumn(LoadedSpec spec, List<String> columns, String key, String column) {
    if (!columns.contains(column)) {
      throw spec.error(key, "column " + column + " is not in the spine (its columns: " + String.join(", ", columns) + ")");
    }
  }
}
