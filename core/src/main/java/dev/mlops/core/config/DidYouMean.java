package dev.mlops.core.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/** Finds the closest known name to a misspelled one, for "did you mean ...?" hints. */
public final class DidYouMean {
  private DidYouMean() {}

  /**
   * The known name closest to {@code given} by edit distance, if it is close enough to be a likely
   * typo (at most a third of its length, and at most 3 edits).
   */
  public static Optional<String> closest(String given, Collection<String> known) {
    String g = given.toLowerCase(Locale.ROOT);
    int limit = Math.min(3, Math.max(1, (g.length() + 2) / 3));
    return known.stream()
        .map(k -> new Object[] {k, distance(g, k.toLowerCase(Locale.ROOT))})
        .filter(p -> (int) p[1] <= limit)
        .min(Comparator.comparingInt(p -> (int) p[1]))
        .map(p -> (String) p[0]);
  }

  /** {@code "; did you mean \"x\"?"} or the empty string. */
  public static String hint(String given, Collection<String> known) {
    return closest(given, known).map(k -> "; did you mean \"" + k + "\"?").orElse("");
  }

  /** Optimal string alignment distance: insertions, deletions, substitutions, transpositions. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
