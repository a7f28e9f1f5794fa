package dev.mlops.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One measured case: ours against a baseline, side by side in the same process.
 *
 * @param name the case
 * @param rows the rows processed
 * @param seconds our time
 * @param baselineSeconds the baseline's time
 * @param details anything else worth printing (which baseline, checks, throughput)
 */
public record BenchResult(String name, long rows, double seconds, double baselineSeconds, Map<String, Object> details) {
  /** Baseline time over ours: above 1 means we are faster. */
  public double ratio() {
    return baselineSeconds / seconds;
  }

  /** The JSON line of DEVELOPERS.md, details appended. */
  public Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("case", name);
    m.put("rows", rows);
    m.put("seconds", round(seconds));
    m.put("baseline_seconds", round(baselineSeconds));
    m.put("ratio", round(ratio()));
    m.putAll(details);
    return m;
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
