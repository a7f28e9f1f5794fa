package dev.mlops.monitoring.alerts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Something monitoring found that a person (or a retraining DAG) should act on: a metric of one
 * column in one partition past its threshold. Its id depends on what and where only, so the same
 * finding raised again (a re-run of the same day) is the same alert.
 *
 * <p>Immutable.
 *
 * @param id what and where, hashed: the same for the same subject, partition, column and metric
 * @param subject what was watched: {@code model fraud} or {@code table raw.transactions}
 * @param partition the partition value
 * @param column the column ({@code *} for the whole dataset)
 * @param metric the metric ({@code psi}, {@code ks}, {@code chi_squared}, {@code drift_share}, ...)
 * @param value the metric's value
 * @param threshold the threshold it crossed
 * @param severity warn or alert
 * @param message what happened, for people
 */
public record Alert(String id, String subject, String partition, String column, String metric, double value,
    double threshold, Severity severity, String message) {

  /** How urgent an alert is. */
  public enum Severity {
    /** Past the warn level: worth a look. */
    WARN,
    /** Past the alert level, or a significant test with a large enough effect: act on it. */
    ALERT;

    /** {@code warn} or {@code alert}. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The severity named {@code label} ({@code warn}, {@code alert}). */
    public static Severity parse(String label) {
      return valueOf(label.strip().toUpperCase(java.util.Locale.ROOT));
    }
  }

  public Alert {
    Objects.requireNonNull(id, "id == null");
    Objects.requireNonNull(subject, "subject == null");
    Objects.requireNonNull(severity, "severity == null");
  }

  /** An alert whose id is derived from {@code subject}, {@code partition}, {@code column} and {@code metric}. */
  public static Alert of(String subject, String partition, String column, String metric, double value, double threshold,
      Severity severity, String message) {
    return new Alert(id(subject, partition, column, metric), subject, partition, column, metric, value, threshold, severity,
        message);
  }

  /** A short stable hash of {@code parts} (24 hex digits), as alert ids are made: for ids derived from alerts. */
  public static String id(String... parts) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String p : parts) {
        sha.update(p.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, 24);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
