package dev.mlops.training.sets;

import dev.mlops.core.tables.Warehouse;
import dev.mlops.core.PlatformException;
import dev.mlops.core.config.Problems;
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
import dev.mlops.training.spec.ModelSpec.SpineSpec;
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
  private final Warehouse warehouse;
  private final FeatureStore store;

  /** A builder reading {@code warehouse}'s tables through {@code store}'s feature definitions. */
  public TrainingSetBuilder(Warehouse warehouse, FeatureStore store) {
    this.warehouse = warehouse;
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
    PinnedSpine pinned = PinnedSpine.of(warehouse, spec.spec().spine(), sourcePins);
    Dataset<Row> spine;
    try {
      spine = warehouse.spark().sql(pinned.sql());
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
    List<String> columns = List.of(spine.columns());
    Problems problems = spec.problems();
    checkSpine(spec, columns, problems);
    RegisteredService service = service(spec, serviceVersion, problems);
    List<String> used = service == null ? List.of() : usedFeatures(spec, service, problems);
    problems.throwIfAny();
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
    keepProtectedAttributes(s, columns, used, List.of(set.rows().columns()), keep, featureColumns);
    return new BuiltTrainingSet(set.rows().select(keep.toArray(Column[]::new)), service, featureColumns, set.pins(),
        pinned.sources(), pinned.sql());
  }

  /**
   * Adds a problem for each request feature that is the spine's label or event time, and for each
   * column the spec names that the spine lacks.
   */
  private static void checkSpine(LoadedSpec spec, List<String> columns, Problems problems) {
    SpineSpec spine = spec.spec().spine();
    for (String f : spine.requestFeatures()) {
      if (f.equals(spine.label()) || f.equals(spine.eventTime())) {
        problems.add(spec.at("spine.request-features"), f + " is the spine's " + (f.equals(spine.label()) ? "label"
            : "event time") + "; a model must not take it as a feature");
      }
    }
    requireColumn(spec, columns, "spine.event-time", spine.eventTime(), problems);
    for (int i = 0; i < spine.keys().size(); i++) {
      requireColumn(spec, columns, "spine.keys[" + i + "]", spine.keys().get(i), problems);
    }
    for (int i = 0; i < spine.requestFeatures().size(); i++) {
      requireColumn(spec, columns, "spine.request-features[" + i + "]", spine.requestFeatures().get(i), problems);
    }
  }

  /** The spec's feature service as registered; null, with the problem added, when it is not. */
  private RegisteredService service(LoadedSpec spec, Integer serviceVersion, Problems problems) {
    try {
      return store.registry().service(spec.spec().featureService().name(), serviceVersion);
    } catch (PlatformException e) {
      problems.add(spec.at("feature-service"), e.getMessage());
      return null;
    }
  }

  /**
   * The service's features the spec uses (all when it lists none); adds a problem for each listed
   * feature the service lacks, and for each request feature the service also has.
   */
  private static List<String> usedFeatures(LoadedSpec spec, RegisteredService service, Problems problems) {
    ModelSpec s = spec.spec();
    List<String> outputs = service.features().stream().map(FeatureRef::outputName).toList();
    List<String> used = new ArrayList<>();
    for (int i = 0; i < s.features().size(); i++) {
      String f = s.features().get(i);
      if (outputs.contains(f)) {
        used.add(f);
      } else {
        problems.add(spec.at("features[" + i + "]"), "unknown feature " + f + ": not in feature service " + service.id()
            + " (its features: " + String.join(", ", outputs) + ")");
      }
    }
    for (String f : s.spine().requestFeatures()) {
      if (outputs.contains(f)) {
        problems.add(spec.at("spine.request-features"), f + " is also a feature of " + service.id()
            + "; rename the spine column");
      }
    }
    return s.features().isEmpty() ? outputs : used;
  }

  /**
   * Keeps the spec's protected attributes in the rows (a feature of the service the spec does not
   * use too) and out of the model's inputs, unless {@code fairness.model-inputs} lets them in.
   */
  private static void keepProtectedAttributes(ModelSpec s, List<String> spineColumns, List<String> used,
      List<String> available, List<Column> keep, List<String> featureColumns) {
    if (s.fairness() == null) {
      return;
    }
    for (String a : s.fairness().attributes()) {
      if (!spineColumns.contains(a) && !used.contains(a) && available.contains(a)) {
        keep.add(Identifiers.column(a));
      }
    }
    featureColumns.removeAll(s.fairness().excludedInputs());
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

  private static void requireColumn(LoadedSpec spec, List<String> columns, String key, String column, Problems problems) {
    if (!columns.contains(column)) {
      problems.add(spec.at(key), "column " + column + " is not in the spine (its columns: " + String.join(", ", columns)
          + ")");
    }
  }
}
