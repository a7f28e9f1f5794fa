package dev.mlops.training;

import dev.mlops.core.PlatformException;
import dev.mlops.training.registry.Stage;
import java.util.Collection;
import java.util.List;

/**
 * The user-facing errors of training, evaluation and the model registry: each message says what is
 * wrong, why, and how to fix it. Every method returns the exception for the caller to throw
 * ({@code throw TrainingErrors.gateFailed(...)}). Problems of a model spec, in its YAML or against
 * the data it names, are {@code ConfigException}s made by
 * {@link dev.mlops.training.spec.ModelSpecLoader.LoadedSpec}; programming mistakes stay
 * {@link IllegalArgumentException}s and {@link IllegalStateException}s.
 *
 * <p>The evaluation errors are {@link IllegalArgumentException}s: the evaluator is called by code
 * (training checks the labels it passes first), and its messages still say how to fix the input.
 *
 * <p>Stateless and thread-safe.
 */
public final class TrainingErrors {
  private TrainingErrors() {}

  // ---- training -----------------------------------------------------------------------------

  /**
   * Thrown when the feature store cannot build a spec's training set; the message is the store's,
   * prefixed with the spec file.
   */
  public static PlatformException trainingSetNotBuilt(String specFile, PlatformException cause) {
    return new PlatformException(specFile + ": " + cause.getMessage(), cause);
  }

  /** Thrown when a trained pipeline cannot be saved to the run's artifact folder. */
  public static PlatformException modelNotSaved(String model, String artifact, java.io.IOException cause) {
    return new PlatformException("Cannot save the model of " + model + " to " + artifact + ": " + cause.getMessage()
        + "; check that the warehouse is writable, then train again", cause);
  }

  /** Thrown when {@code mlops train --training-set} names a table that does not exist. */
  public static PlatformException trainingSetMissing(dev.mlops.core.tables.TableName table) {
    return new PlatformException("Cannot train on training set " + table + ": the table does not exist; build it with"
        + " `mlops training-set --model MODEL --out " + table + "`");
  }

  /** Thrown when {@code mlops train --training-set TABLE@VERSION} names a version the table does not have. */
  public static PlatformException trainingSetVersionMissing(dev.mlops.core.tables.TableName table, long version, long current) {
    return new PlatformException("Cannot train on training set " + table + "@v" + version + ": the table's versions go"
        + " from 0 to " + current + "; name one of them, or the table alone for the latest set saved in it");
  }

  /** Thrown when a training set's version carries no record of {@code mlops training-set} (written by other means). */
  public static PlatformException notARecordedTrainingSet(dev.mlops.core.tables.TableVersion at) {
    return new PlatformException("Cannot train on " + at + ": that version was not written by `mlops training-set`"
        + " (its commit has no training-set record: model, spec, feature service, pins), so the model's lineage could"
        + " not be recorded; build the set with `mlops training-set --model MODEL --out " + at.table() + "`");
  }

  /**
   * Thrown when a recorded training set was built for another model, another text of the spec, or
   * another version of the feature service than the model trained now.
   *
   * @param what what differs, with both values
   */
  public static PlatformException trainingSetMismatch(dev.mlops.core.tables.TableVersion at, String model, String what) {
    return new PlatformException("Cannot train " + model + " on " + at + ": " + what + "; build a new set with"
        + " `mlops training-set --model " + model + "`, then train on the version it prints");
  }

  // ---- the model registry -------------------------------------------------------------------

  /** Thrown when a stage name is none of None, Staging, Production and Archived. */
  public static PlatformException unknownStage(String text) {
    return new PlatformException("Unknown stage \"" + text + "\": one of None, Staging, Production, Archived");
  }

  /** Thrown when a registration lost the race for a version number on every attempt. */
  public static PlatformException registrationContended(String model, RuntimeException cause) {
    return new PlatformException("Cannot register " + model + ": the registry kept changing under"
        + " concurrent registrations; try again", cause);
  }

  /** Thrown when a model asked for by name has no version in the registry. */
  public static PlatformException modelNotRegistered(String model, List<String> models) {
    return new PlatformException("No model " + model + " in the registry (models: " + String.join(", ", models)
        + "); train it with `mlops train --model " + model + "`");
  }

  /**
   * Thrown when a version asked for by number does not exist; {@code versionsText} lists the
   * versions there are (see {@link dev.mlops.training.registry.ModelRegistry#versionsText}).
   */
  public static PlatformException versionNotFound(String model, int version, String versionsText) {
    return new PlatformException("No version " + version + " of model " + model + versionsText);
  }

  /** Thrown when a model reference is none of the three accepted forms. */
  public static PlatformException badModelReference(String reference) {
    return new PlatformException("Cannot resolve model reference \"" + reference + "\": expected models:/NAME/VERSION,"
        + " models:/NAME/STAGE or models:/NAME@ALIAS");
  }

  /** Thrown when a model reference names an alias the model does not have. */
  public static PlatformException aliasNotFound(String reference, String model, String alias, Collection<String> aliases) {
    return new PlatformException("Cannot resolve " + reference + ": model " + model + " has no alias " + alias
        + " (its aliases: " + aliases + "); set one with `mlops models alias " + model + " " + alias + " VERSION`");
  }

  /** Thrown when a model reference names a stage in which the model has no version. */
  public static PlatformException noVersionInStage(String reference, String model, Stage stage, String versionsText) {
    return new PlatformException("Cannot resolve " + reference + ": model " + model + " has no version in " + stage
        + versionsText);
  }

  /** Thrown when a version is moved to the stage it is in. */
  public static PlatformException alreadyInStage(String versionId, Stage stage) {
    return new PlatformException("Cannot move " + versionId + " to " + stage + ": it is in " + stage + " already");
  }

  /** Thrown when a version whose gate failed is promoted to Production. */
  public static PlatformException gateFailed(String versionId, String gateSummary) {
    return new PlatformException("Cannot promote " + versionId + " to Production: its gate failed (" + gateSummary
        + "); train a better version, or fix the spec's gate");
  }

  /** Thrown when a version is promoted to Production without an approver or a reason. */
  public static PlatformException promotionUnapproved(String versionId) {
    return new PlatformException("Cannot promote " + versionId + " to Production without an approver and a reason:"
        + " pass --by NAME --reason TEXT");
  }

  /**
   * Thrown when a version is promoted to Production but its gate compared it with another
   * Production version than the one of now ({@code why} says which).
   */
  public static PlatformException gatedAgainstOldProduction(String versionId, String why) {
    return new PlatformException("Cannot promote " + versionId + " to Production: " + why + "; train again so that the"
        + " gate compares it with the Production version of now");
  }

  /** Thrown when a stage change lost to another change of the registry committed first. */
  public static PlatformException transitionConflict(String versionId, Stage to, String why, String model,
      RuntimeException cause) {
    return new PlatformException("Cannot move " + versionId + " to " + to + ": " + why + "; check `mlops models show "
        + model + "` and try again if still wanted", cause);
  }

  /** Thrown when a model with no version in Production is rolled back. */
  public static PlatformException nothingInProduction(String model, String versionsText) {
    return new PlatformException("Cannot roll back " + model + ": it has no version in Production" + versionsText);
  }

  /** Thrown when a model is rolled back but no other version was in Production before the current one. */
  public static PlatformException nothingToRestore(String model, String currentId, int currentVersion) {
    return new PlatformException("Cannot roll back " + model + ": no version was in Production before " + currentId
        + "; there is nothing to restore (archive it with `mlops models promote " + model + " "
        + currentVersion + " --stage Archived` instead)");
  }

  /** Thrown when a version is rejected without who rejects it or why. */
  public static PlatformException rejectionUnexplained(String versionId) {
    return new PlatformException("Cannot reject " + versionId + " without who and why: pass --by NAME --reason TEXT");
  }

  /** Thrown when an alias to set is not a lower-case name, or is a stage name. */
  public static PlatformException badAlias(String alias, String model) {
    return new PlatformException("Cannot set alias \"" + alias + "\" of " + model + ": an alias is lower-case letters,"
        + " digits, '-' or '_', starting with a letter, and not a stage name");
  }

  /** Thrown when an alias to delete does not exist. */
  public static PlatformException aliasNotDeletable(String alias, String model, Collection<String> aliases) {
    return new PlatformException("Cannot delete alias " + alias + " of " + model + ": there is no such alias (its aliases: "
        + aliases + ")");
  }

  // ---- evaluation (argument errors of the evaluator) -----------------------------------------

  /** Thrown when a column the evaluator is given is not among the predictions' columns. */
  public static IllegalArgumentException evaluationColumnMissing(String role, String column, List<String> present) {
    return new IllegalArgumentException("Cannot evaluate predictions: " + role + " column '" + column
        + "' not found (columns: " + String.join(", ", present) + "); pass the name of one of those columns");
  }

  /** Thrown when a column the evaluator is given has a type it cannot read as its role. */
  public static IllegalArgumentException evaluationColumnMistyped(String role, String column, String type, String fix) {
    return new IllegalArgumentException("Cannot evaluate predictions: " + role + " column '" + column + "' is " + type
        + "; " + fix);
  }

  /** Thrown when a slice column is listed twice. */
  public static IllegalArgumentException duplicateSlice(String column) {
    return new IllegalArgumentException("Cannot evaluate slices: slice column '" + column
        + "' is listed more than once; list each column once");
  }

  /** Thrown when a decision threshold is outside [0, 1]. */
  public static IllegalArgumentException thresholdOutOfRange(double threshold) {
    return new IllegalArgumentException("Cannot evaluate at threshold " + threshold
        + ": a threshold is a probability, in [0, 1]");
  }

  /** Thrown when rows have a null label or probability. */
  public static IllegalArgumentException evaluationNulls(String role, String column, long rows) {
    return new IllegalArgumentException("Cannot evaluate predictions: " + rowsHave(rows) + " a null " + role
        + " in column '" + column + "'; filter or fill those rows first (they are not dropped silently)");
  }

  /** Thrown when rows have a label other than 0 and 1. */
  public static IllegalArgumentException badLabels(String column, long rows) {
    return new IllegalArgumentException("Cannot evaluate predictions: " + rowsHave(rows) + " a label other than 0 and 1"
        + " in column '" + column + "'; labels must be 0/1 numbers or booleans");
  }

  /** Thrown when rows have a probability outside [0, 1], or NaN. */
  public static IllegalArgumentException badProbabilities(String column, long rows) {
    return new IllegalArgumentException("Cannot evaluate predictions: " + rowsHave(rows)
        + " a probability outside [0, 1] (or NaN) in column '" + column
        + "'; pass P(label = 1), not a raw score or margin");
  }

  /** Thrown when a slice column has more distinct values than slices are computed for. */
  public static IllegalArgumentException tooManySliceValues(String column, long values, int max) {
    return new IllegalArgumentException("Cannot evaluate slices: slice column '" + column + "' has " + values
        + " distinct values, more than the " + max + " allowed; slice by a coarser column (bucket this one first)");
  }

  private static String rowsHave(long rows) {
    return rows + (rows == 1 ? " row has" : " rows have");
  }
}
