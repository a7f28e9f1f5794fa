package dev.mlops.training.spec;

import dev.mlops.core.config.ConfigValueException;

/** The values of a model spec's {@code scoring.explain}: {@code none} or {@code top-<k>}. Stateless and thread-safe. */
final class ExplainSetting {
  /** The most contributions a row can keep. */
  static final int MAX_TOP = 100;

  private ExplainSetting() {}

  /** {@code k} of {@code top-<k>}, 0 for {@code none}; fails naming the key on anything else. */
  static int topOf(String explain) {
    if (explain.equals("none")) {
      return 0;
    }
    if (explain.matches("top-[0-9]{1,3}")) {
      int k = Integer.parseInt(explain.substring(4));
      if (k >= 1 && k <= MAX_TOP) {
        return k;
      }
    }
    throw new ConfigValueException("explain", "expected none or top-<k> with k from 1 to " + MAX_TOP
        + " (top-5: the five largest contributions of each row), got \"" + explain + "\"");
  }
}
