package dev.mlops.scoring;

import dev.mlops.core.PlatformException;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;

/**
 * The user-facing errors of batch scoring: each message says what is wrong, why, and how to fix
 * it. Every method returns the exception for the caller to throw ({@code throw
 * ScoringErrors.noProductionVersion(...)}). Problems of the model spec's {@code scoring} section
 * are {@code ConfigException}s made by
 * {@link dev.mlops.training.spec.ModelSpecLoader.LoadedSpec#error}; programming mistakes stay
 * {@link IllegalArgumentException}s and {@link IllegalStateException}s.
 *
 * <p>Stateless and thread-safe.
 */
final class ScoringErrors {
  private ScoringErrors() {}

  /** Thrown when the last day to score comes before the first. */
  public static PlatformException rangeReversed(LocalDate first, LocalDate last) {
    return new PlatformException("Cannot score from " + first + " to " + last + ": the range is empty; pass an --end on"
        + " or after the --start");
  }

  /**
   * Thrown when the model to score has no version in Production; {@code versionsText} lists the
   * versions there are (see {@link dev.mlops.training.registry.ModelRegistry#versionsText}).
   */
  public static PlatformException noProductionVersion(String model, String versionsText, boolean hasVersions) {
    return new PlatformException("Cannot score " + model + ": it has no version in Production" + versionsText
        + (hasVersions ? "; promote one with `mlops models promote " + model
            + " VERSION --by NAME --reason TEXT`" : ""));
  }

  /** Thrown when the spec's scoring query gives no rows for some of the days to score. */
  public static PlatformException noRowsForDays(String model, String range, String specFile, List<String> emptyDays) {
    return new PlatformException("Cannot score " + model + " for " + range + ": scoring.query in " + specFile
        + " gives no rows for " + String.join(", ", emptyDays) + "; check that its source tables hold "
        + (emptyDays.size() == 1 ? "that day" : "those days") + " (nothing was written)");
  }

  /**
   * Thrown when a version to score with was trained on another feature service version, or other
   * view versions, than the spec builds now.
   */
  public static PlatformException trainedOnOtherFeatures(String versionId, String serviceThen, int serviceVersionThen,
      Collection<String> viewsThen, String serviceNow, Collection<String> viewsNow) {
    return new PlatformException("Cannot score with " + versionId + ": it was trained on feature service " + serviceThen
        + " v" + serviceVersionThen + " " + viewsThen + ", but the spec now builds " + serviceNow + " " + viewsNow
        + "; score with a version trained on the current spec (mlops train), or pin the spec's feature-service"
        + " version back");
  }

  /** Thrown when an input a version was trained on is not among the features built now. */
  public static PlatformException inputMissing(String versionId, String column, List<String> builtColumns) {
    return new PlatformException("Cannot score with " + versionId + ": its input " + column + " is not among the features"
        + " built now (" + String.join(", ", builtColumns) + "); retrain it on the current spec, or restore the"
        + " feature in its service");
  }

  /** Thrown when an input a version was trained on has another type now. */
  public static PlatformException inputRetyped(String versionId, String column, String typeThen, String typeNow) {
    return new PlatformException("Cannot score with " + versionId + ": its input " + column + " was " + typeThen
        + " in training but is " + typeNow + " now; retrain the model or cast the feature back");
  }

  /** Thrown when {@code scoring.explain} asks for per-row explanations of a version that is not a tree ensemble. */
  public static PlatformException cannotExplain(String versionId, String algorithm) {
    return new PlatformException("Cannot explain the rows of " + versionId + ": scoring.explain needs a tree ensemble (gbt"
        + " or random_forest) and it is a " + algorithm + "; set scoring.explain: none, or serve a tree ensemble (a"
        + " linear model's coefficients are on its model card)");
  }
}
