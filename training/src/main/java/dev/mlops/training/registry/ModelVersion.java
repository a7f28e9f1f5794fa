package dev.mlops.training.registry;

import dev.mlops.core.tables.TableVersion;
import dev.mlops.features.pit.ViewPin;
import dev.mlops.training.explain.GlobalExplanation;
import dev.mlops.training.spec.RecordedSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One registered version of a model, with its full lineage: what it was trained on (the training
 * set's table and Delta version, the feature service, every feature view's version and the Delta
 * version of its table, the source tables of the spine), how (algorithm, params, seed, split,
 * the spec as written and as resolved, code and Spark versions), and what it achieved (test metrics, the
 * evaluation per slice, the gate's verdict). A row of {@code ml.model_versions}.
 *
 * <p>Immutable. Obtain from a {@link ModelRegistry}.
 *
 * @param model the model's name
 * @param version its number, from 1
 * @param stage its stage now
 * @param runId the training run
 * @param createdBy who trained it
 * @param createdAt when
 * @param algorithm the classifier
 * @param params every parameter the final model was fitted with (the grid's choice included)
 * @param seed the seed
 * @param threshold the decision threshold
 * @param metrics the test split's metrics
 * @param evaluation the full evaluation as JSON: overall, calibration, slices, validation
 * @param gatePassed whether the gate passed
 * @param gate the gate's verdict as JSON: every check with observed and required figures
 * @param trainingSet the training set's table at the version trained on
 * @param featureService the feature service
 * @param featureServiceVersion its version
 * @param featurePins every feature view read, with the Delta version of its table
 * @param sourceTables the spine's source tables at the versions read
 * @param split the split as JSON: cut instants and rows per split
 * @param featureColumns the model's input columns, in order
 * @param spec the spec: its file, the text as written and as resolved in the training
 *     environment, and its hash
 * @param codeVersion the code version that trained it
 * @param sparkVersion the Spark version
 * @param artifact the folder of the fitted pipeline and the saved test predictions
 *     ({@code <warehouse>/models/<name>/runs/<run id>})
 * @param globalExplanation what the model learned as a whole: a tree ensemble's feature
 *     importances or a linear model's coefficients ({@link GlobalExplanation#NONE} for a version
 *     registered before they were recorded)
 */
public record ModelVersion(
    String model,
    int version,
    Stage stage,
    String runId,
    String createdBy,
    Instant createdAt,
    String algorithm,
    Map<String, String> params,
    long seed,
    double threshold,
    Map<String, Double> metrics,
    String evaluation,
    boolean gatePassed,
    String gate,
    TableVersion trainingSet,
    String featureService,
    int featureServiceVersion,
    List<ViewPin> featurePins,
    List<TableVersion> sourceTables,
    String split,
    List<String> featureColumns,
    RecordedSpec spec,
    String codeVersion,
    String sparkVersion,
    String artifact,
    GlobalExplanation globalExplanation) {

  public ModelVersion {
    Objects.requireNonNull(model, "model == null");
    Objects.requireNonNull(stage, "stage == null");
    Objects.requireNonNull(runId, "runId == null");
    Objects.requireNonNull(createdBy, "createdBy == null");
    Objects.requireNonNull(createdAt, "createdAt == null");
    Objects.requireNonNull(algorithm, "algorithm == null");
    Objects.requireNonNull(trainingSet, "trainingSet == null");
    Objects.requireNonNull(featureService, "featureService == null");
    Objects.requireNonNull(spec, "spec == null");
    Objects.requireNonNull(codeVersion, "codeVersion == null");
    Objects.requireNonNull(sparkVersion, "sparkVersion == null");
    Objects.requireNonNull(artifact, "artifact == null");
    params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
    metrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
    featurePins = List.copyOf(featurePins);
    sourceTables = List.copyOf(sourceTables);
    featureColumns = List.copyOf(featureColumns);
    globalExplanation = globalExplanation == null ? GlobalExplanation.NONE : globalExplanation;
  }

  /** {@code model vN}. */
  public String id() {
    return model + " v" + version;
  }

  /** The fitted pipeline's folder. */
  public String modelPath() {
    return artifact + "/model";
  }

  /** The test split's predictions saved at training (keys and probability), for reproduction. */
  public String testPredictionsPath() {
    return artifact + "/test_predictions";
  }

  /** A copy in {@code newStage}. */
  public ModelVersion withStage(Stage newStage) {
    return toBuilder().stage(newStage).build();
  }

  /** A copy numbered {@code newVersion}. */
  public ModelVersion numbered(int newVersion) {
    return toBuilder().version(newVersion).build();
  }

  /** A builder holding this version's values. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** A builder of a version: every value must be set (collections default to empty ones). */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link ModelVersion}. Not thread-safe. */
  public static final class Builder {
    private String model;
    private int version;
    private Stage stage = Stage.NONE;
    private String runId;
    private String createdBy;
    private Instant createdAt;
    private String algorithm;
    private Map<String, String> params = Map.of();
    private long seed;
    private double threshold;
    private Map<String, Double> metrics = Map.of();
    private String evaluation = "{}";
    private boolean gatePassed;
    private String gate = "{}";
    private TableVersion trainingSet;
    private String featureService;
    private int featureServiceVersion;
    private List<ViewPin> featurePins = List.of();
    private List<TableVersion> sourceTables = List.of();
    private String split = "{}";
    private List<String> featureColumns = List.of();
    private RecordedSpec spec;
    private String codeVersion;
    private String sparkVersion;
    private String artifact;
    private GlobalExplanation globalExplanation = GlobalExplanation.NONE;

    private Builder() {}

    private Builder(ModelVersion v) {
      model = v.model;
      version = v.version;
      stage = v.stage;
      runId = v.runId;
      createdBy = v.createdBy;
      createdAt = v.createdAt;
      algorithm = v.algorithm;
      params = v.params;
      seed = v.seed;
      threshold = v.threshold;
      metrics = v.metrics;
      evaluation = v.evaluation;
      gatePassed = v.gatePassed;
      gate = v.gate;
      trainingSet = v.trainingSet;
      featureService = v.featureService;
      featureServiceVersion = v.featureServiceVersion;
      featurePins = v.featurePins;
      sourceTables = v.sourceTables;
      split = v.split;
      featureColumns = v.featureColumns;
      spec = v.spec;
      codeVersion = v.codeVersion;
      sparkVersion = v.sparkVersion;
      artifact = v.artifact;
      globalExplanation = v.globalExplanation;
    }

    public Builder model(String value) {
      model = value;
      return this;
    }

    public Builder version(int value) {
      version = value;
      return this;
    }

    public Builder stage(Stage value) {
      stage = value;
      return this;
    }

    public Builder runId(String value) {
      runId = value;
      return this;
    }

    public Builder createdBy(String value) {
      createdBy = value;
      return this;
    }

    public Builder createdAt(Instant value) {
      createdAt = value;
      return this;
    }

    public Builder algorithm(String value) {
      algorithm = value;
      return this;
    }

    public Builder params(Map<String, String> value) {
      params = value;
      return this;
    }

    public Builder seed(long value) {
      seed = value;
      return this;
    }

    public Builder threshold(double value) {
      threshold = value;
      return this;
    }

    public Builder metrics(Map<String, Double> value) {
      metrics = value;
      return this;
    }

    public Builder evaluation(String value) {
      evaluation = value;
      return this;
    }

    /** The gate's verdict: whether it passed, and its JSON. */
    public Builder gate(boolean passed, String json) {
      gatePassed = passed;
      gate = json;
      return this;
    }

    public Builder trainingSet(TableVersion value) {
      trainingSet = value;
      return this;
    }

    /** The feature service and its version. */
    public Builder featureService(String name, int serviceVersion) {
      featureService = name;
      featureServiceVersion = serviceVersion;
      return this;
    }

    public Builder featurePins(List<ViewPin> value) {
      featurePins = value;
      return this;
    }

    public Builder sourceTables(List<TableVersion> value) {
      sourceTables = value;
      return this;
    }

    public Builder split(String value) {
      split = value;
      return this;
    }

    public Builder featureColumns(List<String> value) {
      featureColumns = value;
      return this;
    }

    public Builder spec(RecordedSpec value) {
      spec = value;
      return this;
    }

    /** The code and Spark versions that trained it. */
    public Builder versions(String code, String spark) {
      codeVersion = code;
      sparkVersion = spark;
      return this;
    }

    public Builder artifact(String value) {
      artifact = value;
      return this;
    }

    public Builder globalExplanation(GlobalExplanation value) {
      globalExplanation = value;
      return this;
    }

    /** The version; fails naming the first value not set. */
    public ModelVersion build() {
      return new ModelVersion(model, version, stage, runId, createdBy, createdAt, algorithm, params, seed, threshold, metrics,
          evaluation, gatePassed, gate, trainingSet, featureService, featureServiceVersion, featurePins, sourceTables, split,
          featureColumns, spec, codeVersion, sparkVersion, artifact, globalExplanation);
    }
  }
}
