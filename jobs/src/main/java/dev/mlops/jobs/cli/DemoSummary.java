package dev.mlops.jobs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The demo's JSON summary, read from the result documents of the pipeline steps it ran (found by
 * their commands, not their ids): feature tables, validations, online store, model, scores,
 * monitoring (with the rollback policy's decision). Stateless.
 */
final class DemoSummary {
  /** The actions of a rollback decision that acted or would have. */
  private static final Set<String> DECIDED = Set.of("rolled_back", "dry_run");

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
        case "monitor performance" -> {
          monitoring.put(s.command().contains("--matured") ? "matured_performance" : "performance", r);
          rollback(monitoring, r.path("rollback"));
        }
        case "drift --model" -> monitoring.put("drift", r);
        default -> { }
      }
    }
    return json;
  }

  /**
   * Keeps in {@code monitoring.rollback} the decision of the rollback policy that acted (or would
   * have, in a dry run) among the performance runs, else the last one's: a later run finds the same
   * alerts already decided.
   */
  private static void rollback(Map<String, Object> monitoring, JsonNode decision) {
    if (decision.isMissingNode()) {
      return;
    }
    boolean kept = monitoring.get("rollback") instanceof JsonNode d && DECIDED.contains(d.path("action").asText());
    if (!kept) {
      monitoring.put("rollback", decision);
    }
  }

  /** Prints where to look at what the demo made. */
  static void whereToLook(Output out, Map<String, Object> json, String service) {
    Object drift = json.get("monitoring") instanceof Map<?, ?> m && m.get("drift") instanceof JsonNode d
        ? d.path("report").asText() : "-";
    Object model = json.get("model") instanceof Map<?, ?> m && m.get("trained") instanceof JsonNode t
        ? t.path("model").asText() : "MODEL";
    if (json.get("monitoring") instanceof Map<?, ?> m && m.get("rollback") instanceof JsonNode r) {
      out.human("rollback policy: " + r.path("action").asText() + " (" + r.path("reason").asText() + ")");
    }
    out.human("where to look:");
    out.human("  tables:         bin/mlops sql \"SHOW TABLES IN features\" (raw, features, predictions, monitoring, ops, ...)");
    out.human("  pipeline runs:  bin/mlops sql \"SELECT pipeline, run_date, step, attempt, status FROM ops.pipeline_runs\"");
    out.human("  drift report:   " + drift);
    out.human("  model card:     bin/mlops models card " + model);
    out.human("  rollbacks:      bin/mlops sql \"SELECT model, action, from_version, to_version, partitions FROM"
        + " monitoring.rollbacks\"");
    out.human("  online sample:  bin/mlops online get --service " + service + " --key customer_id=1");
  }
}
