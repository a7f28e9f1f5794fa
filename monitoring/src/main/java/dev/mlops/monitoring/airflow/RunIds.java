package dev.mlops.monitoring.airflow;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Map;

/**
 * Run ids that make triggers idempotent. Airflow refuses a second run with the same id (HTTP
 * 409), and {@link AirflowClient#trigger} then returns the existing run, so a trigger repeated
 * with the same id starts nothing new. Ids use only {@code [A-Za-z0-9_.:-]}, which Airflow's
 * default {@code allowed_run_id_pattern} accepts, and are at most 250 characters long.
 *
 * <p>Stateless and thread-safe.
 */
public final class RunIds {
  private static final int MAX_KEY = 200;

  private RunIds() {}

  /**
   * The run id the client uses when a trigger gives none:
   * {@code mlops__<date>__<hash>}, where {@code date} is the logical date (ISO-8601 UTC, for
   * example {@code 2026-12-01T00:00:00Z}) or, without one, {@code now} cut to the second, and
   * {@code hash} the first 12 hex digits of the SHA-256 of the DAG id, that date and the conf as
   * JSON with sorted keys.
   *
   * <p>With a logical date the id depends only on the DAG, the date and the conf: the same
   * trigger repeated any time later is recognised as already done. Without one it also depends on
   * the second the trigger started, so the retries of one call share it (a retry whose first
   * attempt reached Airflow finds the run) while a later call starts a new run. Callers that must
   * never trigger twice across calls pass their own id, for example {@link #fromKey}.
   */
  public static String derive(String dagId, Instant logicalDate, Map<String, ?> conf, Instant now) {
    String date = (logicalDate != null ? logicalDate : now.truncatedTo(ChronoUnit.SECONDS)).toString();
    return "mlops__" + date + "__" + hash(dagId + "\n" + date + "\n" + AirflowJson.canonical(conf));
  }

  /**
   * A run id for an event that must trigger at most one run, such as a drift alert:
   * {@code mlops__<key, other characters replaced by _, cut to 200>__<hash of key>}. The same key
   * always gives the same id; keys that differ only in replaced characters still get different
   * ids.
   */
  public static String fromKey(String key) {
    if (key.isBlank()) {
      throw new IllegalArgumentException("key is blank");
    }
    String safe = key.replaceAll("[^A-Za-z0-9_.:-]", "_");
    return "mlops__" + safe.substring(0, Math.min(MAX_KEY, safe.length())) + "__" + hash(key);
  }

  private static String hash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
