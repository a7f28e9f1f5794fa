package dev.mlops.benchmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * Ours against a baseline, value by value: the mismatches found, and the tolerance used when the
 * values may differ by design (sketches, sums in another order); none means bit for bit.
 * Not thread-safe: one per comparison.
 */
public final class OutputComparison {
  private final String tolerance;
  private final List<String> mismatches = new ArrayList<>();

  private OutputComparison(String tolerance) {
    this.tolerance = tolerance;
  }

  /** A comparison that allows no difference. */
  public static OutputComparison exact() {
    return new OutputComparison(null);
  }

  /** A comparison within {@code tolerance} (as the JSON line prints it: what may differ, by how much). */
  public static OutputComparison within(String tolerance) {
    return new OutputComparison(tolerance);
  }

  /** Records a mismatch unless {@code ours} equals {@code theirs}. */
  public OutputComparison equal(String what, Object ours, Object theirs) {
    if (!java.util.Objects.equals(ours, theirs)) {
      mismatches.add(what + ": ours " + ours + ", baseline " + theirs);
    }
    return this;
  }

  /** Records a mismatch unless the two are within {@code relative} of each other (relative to the larger). */
  public OutputComparison close(String what, double ours, double theirs, double relative) {
    double scale = Math.max(1e-300, Math.max(Math.abs(ours), Math.abs(theirs)));
    if (Double.isNaN(ours) != Double.isNaN(theirs) || Math.abs(ours - theirs) / scale > relative) {
      mismatches.add(what + ": ours " + ours + ", baseline " + theirs + " (allowed " + relative + " relative)");
    }
    return this;
  }

  /** Records a mismatch when {@code holds} is false. */
  public OutputComparison check(String what, boolean holds) {
    if (!holds) {
      mismatches.add(what);
    }
    return this;
  }

  public boolean agrees() {
    return mismatches.isEmpty();
  }

  /** The tolerance used, or null for none. */
  public String tolerance() {
    return tolerance;
  }

  public List<String> mismatches() {
    return List.copyOf(mismatches);
  }

  /** The first five mismatches, for a JSON line. */
  public List<String> firstMismatches() {
    return List.copyOf(mismatches.subList(0, Math.min(5, mismatches.size())));
  }
}
