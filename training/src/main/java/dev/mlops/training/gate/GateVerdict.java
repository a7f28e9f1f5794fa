package dev.mlops.training.gate;

import dev.mlops.core.tables.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a gate decided about a new version, with every figure: stored with the version.
 *
 * @param passed whether every check passed
 * @param checks the checks, in order: minimums, then the champion, then slices
 * @param championVersion the Production version compared with, or null when there was none
 * @param championMetrics the champion's test metrics on the same test rows, or empty
 */
public record GateVerdict(boolean passed, List<GateCheck> checks, Integer championVersion,
    Map<String, Double> championMetrics) {
  /** The key of {@link #championVersion} in {@link #json()}. */
  public static final String CHAMPION_VERSION = "champion_version";

  /** The failed checks' messages. */
  public List<String> failures() {
    return checks.stream().filter(c -> !c.passed()).map(GateCheck::message).toList();
  }

  /** The verdict as JSON. */
  public String json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("passed", passed);
    m.put(CHAMPION_VERSION, championVersion);
    m.put("champion_metrics", championMetrics);
    m.put("checks", checks.stream().map(c -> {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("name", c.name());
      x.put("passed", c.passed());
      x.put("observed", Double.isNaN(c.observed()) ? null : c.observed());
      x.put("required", Double.isNaN(c.required()) ? null : c.required());
      x.put("message", c.message());
      return x;
    }).toList());
    return Json.write(m);
  }
}
