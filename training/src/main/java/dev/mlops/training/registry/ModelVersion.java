package dev.mlops.training.registry;

import dev.mlops.core.tables.TableVersion;
import dev.mlops.features.pit.ViewPin;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One registered version of a model, with its full lineage: what it was trained on (the training
 * set's table and Delta version, the feature service, every feature view's version and the Delta
 * version of its table, the source tables of the spine), how (algorithm, params, seed, split,
 * the spec as written, code and Spark versions), and what it achieved (test metrics, the
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
 * @param specFile the spec file
 * @param spec the spec as written
 * @param specSha256 its hash
 * @param codeVersion the code version that trained it
 * @param sparkVersion the Spark version
 * @param artifact the folder of the fitted pipeline and the saved test predictions
 *     ({@code <warehouse>/models/<name>/runs/<run id>})
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
    String specFile,
    String spec,
    String specSha256,
    String codeVersion,
    String sparkVersion,
    String artifact) {

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
    return new ModelVersion(model, version, newStage, runId, createdBy, createdAt, algorithm, params, seed, threshold, metrics,
        evaluation, gatePassed, gate, trainingSet, featureService, featureServiceVersion, featurePins, sourceTables, split,
        featureColumns, specFile, spec, specSha256, codeVersion, sparkVersion, artifact);
  }

  /** A copy numbered {@code newVersion}. */
  public ModelVersion numbered(int newVersion) {
    return new ModelVersion(model, newVersion, stage, runId, createdBy, createdAt, algorithm, params, seed, threshold, metrics,
        evaluation, gatePassed, gate, trainingSet, featureService, featureServiceVersion, featurePins, sourceTables, split,
        featureColumns, specFile, spec, specSha256, codeVersion, sparkVersion, artifact);
  }
}
