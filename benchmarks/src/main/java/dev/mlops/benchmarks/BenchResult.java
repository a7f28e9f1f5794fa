package dev.mlops.benchmarks;

import dev.mlops.core.CodeVersion;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One measured case: ours against a baseline, side by side in the same process, with whether
 * their outputs agreed.
 *
 * <p>Its JSON line ({@link #json()}) starts with the fields every case has, in this order:
 * {@code case, rows, seconds, baseline, baseline_seconds, ratio, identical_output}, then
 * {@code tolerance} when the outputs were compared within one (sketches, floating-point sums in
 * another order), then {@code commit} (the build's git commit), then the case's own details.
 *
 * @param name the case
 * @param rows the rows processed
 * @param seconds our time
 * @param baselineSeconds the baseline's time
 * @param details the baseline ({@code baseline}), the comparison ({@code identical_output},
 *     {@code tolerance}; see {@link #details}) and anything else worth printing
 */
public record BenchResult(String name, long rows, double seconds, double baselineSeconds, Map<String, Object> details) {
  /** The fields the JSON line puts first, in their order. */
  static final List<String> LEADING = List.of("baseline", "identical_output", "tolerance");

  /** Baseline time over ours: above 1 means we are faster. */
  public double ratio() {
    return baselineSeconds / seconds;
  }

  /** Whether ours and the baseline computed the same output (within the line's tolerance, if any). */
  public boolean agrees() {
    return Boolean.TRUE.equals(details.get("identical_output"));
  }

  /** Whether every result agrees: what a benchmark command's exit status says. */
  public static boolean allAgree(List<BenchResult> results) {
    return results.stream().allMatch(BenchResult::agrees);
  }

  /** Details starting with the baseline's name and the outcome of the comparison; add the case's own after. */
  public static Map<String, Object> details(String baseline, OutputComparison comparison) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("baseline", baseline);
    d.put("identical_output", comparison.agrees());
    if (comparison.tolerance() != null) {
      d.put("tolerance", comparison.tolerance());
    }
    if (!comparison.agrees()) {
      d.put("mismatches", comparison.firstMismatches());
    }
    return d;
  }

  /** The JSON line: the common fields first (see the class comment), details appended. */
  public Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("case", name);
    m.put("rows", rows);
    m.put("seconds", round(seconds));
    m.put("baseline", details.get("baseline"));
    m.put("baseline_seconds", round(baselineSeconds));
    m.put("ratio", round(ratio()));
    m.put("identical_output", details.getOrDefault("identical_output", false));
    if (details.containsKey("tolerance")) {
      m.put("tolerance", details.get("tolerance"));
    }
    m.put("commit", CodeVersion.current().label());
    details.forEach((k, v) -> {
      if (!LEADING.contains(k)) {
        m.put(k, v);
      }
    });
    return m;
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
