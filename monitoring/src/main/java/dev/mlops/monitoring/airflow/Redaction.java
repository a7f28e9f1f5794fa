package dev.mlops.monitoring.airflow;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The secrets of one client (its password, its basic credentials, every token it was issued),
 * cut out of any text before it goes into an exception message: Airflow or a proxy could echo
 * them in an error body. Thread-safe.
 */
final class Redaction {
  /** Shorter values are not secrets worth the risk of mangling every message. */
  private static final int MIN_LENGTH = 4;
  private final Set<String> secrets = ConcurrentHashMap.newKeySet();

  void add(String secret) {
    if (secret != null && secret.length() >= MIN_LENGTH) {
      secrets.add(secret);
    }
  }

  String apply(String text) {
    String out = text;
    for (String s : secrets) {
      out = out.replace(s, "****");
    }
    return out;
  }
}
