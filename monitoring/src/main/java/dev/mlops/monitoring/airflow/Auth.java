package dev.mlops.monitoring.airflow;

import java.nio.charset.StandardCharsets;
import okhttp3.Credentials;

/**
 * How the client authenticates its requests: nothing, basic credentials (Airflow 2) or a bearer
 * token ({@link TokenAuth}, Airflow 3). Implementations are thread-safe.
 */
interface Auth {
  /** The {@code Authorization} header for the next request; null to send none. */
  String authorization();

  /** Whether new credentials may cure a 401 (a token can expire; a password cannot). */
  boolean renewable();

  /** Drops {@code used}, the header a request was refused with, so the next request gets new credentials. */
  void renew(String used);

  /** No credentials. */
  static Auth none() {
    return Fixed.NONE;
  }

  /** Basic credentials, sent with every request. */
  static Auth basic(String user, String password, Redaction redaction) {
    String header = Credentials.basic(user, password, StandardCharsets.UTF_8);
    redaction.add(header.substring("Basic ".length()));
    return new Fixed(header);
  }

  /** Credentials that never change. */
  record Fixed(String authorization) implements Auth {
    static final Fixed NONE = new Fixed(null);

    @Override
    public boolean renewable() {
      return false;
    }

    @Override
    public void renew(String used) {}

    @Override
    public String toString() {
      return authorization == null ? "no credentials" : "basic credentials";
    }
  }
}
