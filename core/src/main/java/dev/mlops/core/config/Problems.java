package dev.mlops.core.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The problems found in a configuration (a file, or a folder of files), collected so that a loader
 * reports them all at once instead of one per run. Each problem is one line that names the file
 * and the key path at fault: {@code conf/validation/orders.yaml: checks[2].column: is required for
 * range}. {@link #throwIfAny()} throws one {@link ConfigException}: a single problem as its line,
 * several as {@code <subject> has <n> problems:} followed by one line each.
 *
 * <p>Loaders check the parts of a file that are independent of each other into one collector, and
 * call {@link #throwIfAny()} before a check that needs those parts to be valid.
 *
 * <p>Not thread-safe: make one per load.
 */
public final class Problems {
  private final String subject;
  private final List<String> lines = new ArrayList<>();

  /**
   * A collector for the problems of {@code subject}, named in the first line of a message with
   * several problems ({@code the feature repository}, {@code conf/models/fraud.yaml}).
   */
  public Problems(String subject) {
    this.subject = subject;
  }

  /**
   * Adds a problem, unless the same one was added already (a check repeated over several
   * candidates reports it once).
   *
   * @param where the file and the key path at fault, {@code conf/models/fraud.yaml: split.fractions}
   * @param problem what is wrong and how to fix it
   */
  public Problems add(String where, String problem) {
    return line(where + ": " + problem);
  }

  /** Adds a problem already reported as an exception whose message names the file (and key path). */
  public Problems add(ConfigException e) {
    return line(e.getMessage());
  }

  /** Whether no problem was added. */
  public boolean isEmpty() {
    return lines.isEmpty();
  }

  /**
   * Every problem in one exception (see the class comment).
   *
   * @throws IllegalStateException when there is none
   */
  public ConfigException exception() {
    if (lines.isEmpty()) {
      throw new IllegalStateException("no problems to report for " + subject);
    }
    if (lines.size() == 1) {
      return new ConfigException(lines.get(0));
    }
    return new ConfigException(subject + " has " + lines.size() + " problems:\n  " + String.join("\n  ", lines));
  }

  /** Throws {@link #exception()} when a problem was added. */
  public void throwIfAny() {
    if (!lines.isEmpty()) {
      throw exception();
    }
  }

  private Problems line(String line) {
    if (!lines.contains(line)) {
      lines.add(line);
    }
    return this;
  }
}
