package dev.mlops.jobs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's JSON summary, read from the result documents of the pipeline steps it ran (found by
 * their commands, not their ids): feature tables, validations, online store, model, scores,
 * monitoring. Stateless.
 */
final class DemoSummary {
  private DemoSummary() {}

  static Map<String, Object> of(List<StepResult> steps) {
    List<Map<String, Object>> features = new ArrayList<>();
    List<Map<String, Object>> validations = new ArrayList<>();
    Map<String, Object> json = new LinkedHashMap<>();
    Map<String, Object> online = new LinkedHashMap<>();
    Map<String, Object> model = new LinkedHashMap<>();
    Map<String, Object> monitoring = new LinkedHashMap<>();
    json.put("feature_tables", features);
    json.put("validations", validations);
    json.put("online", online);
    json.put("model", model);
    json.put("scored", new LinkedHashMap<>());
    json.put("monitoring", monitoring);
    for (StepResult s : steps) {
      JsonNode r = s.result();
      if (r == null) {
        continue;
      }
      switch (String.join(" ", s.command().subList(0, Math.min(2, s.command().size())))) {
        case "features materialize" -> features.add(Map.of("view", r.path("view").asText(), "table", r.path("table").asText(),
            "rows", r.path("rows").asLong()));
        case "validate --suite" -> validations.add(Map.of("table", r.path("table").asText(), "rows", r.path("rows").asLong(),
            "quarantined", r.path("quarantined_rows").asLong(), "checks", r.path("checks").size(), "report",
            r.path("report").asText()));
        case "online sync" -> online.put("written", StepResult.rows(r));
        case "online verify" -> {
          online.put("verified_values", r.path("values").asLong());
          online.put("mismatches", r.path("mismatches").isArray() ? r.path("mismatches").size() : r.path("mismatches").asLong());
        }
        case "train --model" -> model.put(s.step().equals("challenger") ? "challenger" : "trained", r);
        case "score --model" -> json.put("scored", r);
        case "monitor performance" -> monitoring.put(s.command().contains("--matured") ? "matured_performance" : "performance",
            r);
        case "drift --model" -> monitoring.put("drift", r);
        default -> { }
      }
    }
    return json;
  }

  /** Prints where to look at what the demo made. */
  static void whereToLook(Output out, Map<String, Object> json, String service) {
    Object drift = json.get("monitoring") instanceof Map<?, ?> m && m.get("drift") instanceof JsonNode d
        ? d.path("report").asText() : "-";
    Object model = json.get("model") instanceof Map<?, ?> m && m.get("trained") instanceof JsonNode t
        ? t.path("model").asText() : "MODEL";
    out.human("where to look:");
    out.human("  tables:         bin/mlops sql \"SHOW TABLES IN features\" (raw, features, predictions, monitoring, ops, ...)");
    out.human("  pipeline runs:  bin/mlops sql \"SELECT pipeline, run_date, step, attempt, status FROM ops.pipeline_runs\"");
    out.human("  drift report:   " + drift);
    out.human("  model card:     bin/mlops models card " + model);
    out.human("  online sample:  bin/mlops online get --service " + service + " --key customer_id=1");
  }
}
