package dev.mlops.monitoring.drift;

/**
 * One bucket of a categorical comparison, with its count on each side: a reference category, the
 * {@value #UNSEEN} bucket (current categories the reference does not have) or the {@value #OTHER}
 * bucket (rows a frequent-items sketch did not keep, on either side).
 *
 * <p>Metrics make them; read them in {@link DriftDetails}. Immutable.
 */
public record Bucket(String label, Kind kind, long reference, long current) {
  /** The label of the bucket of unseen categories. */
  public static final String UNSEEN = "<unseen>";
  /** The label of the bucket of rows a sketch did not keep. */
  public static final String OTHER = "<other>";

  /** What a bucket holds. */
  public enum Kind {
    /** One category of the reference. */
    CATEGORY,
    /** Every current category the reference does not have. */
    UNSEEN,
    /** The rows a sketch did not keep, on either side. */
    OTHER
  }

  /** The rows of both sides. */
  public long total() {
    return reference + current;
  }
}
