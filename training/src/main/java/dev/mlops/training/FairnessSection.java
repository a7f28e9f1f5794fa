package dev.mlops.training;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** The model card's fairness section, from the evaluation JSON's {@code fairness} audit: a table per attribute. */
final class FairnessSection {
  private FairnessSection() {}

  /** Appends the section when the version was audited. */
  static void append(StringBuilder md, JsonNode evaluation) {
    JsonNode audit = evaluation.path("fairness");
    if (audit.isMissingNode() || audit.isNull()) {
      return;
    }
    md.append("\n## Fairness audit: ").append(audit.path("passed").asBoolean() ? "passed" : "FAILED").append("\n\n")
        .append("On the test split at threshold ").append(fmt(audit.path("threshold"))).append("; groups with fewer than ")
        .append(audit.path("min_group_count").asInt()).append(" rows are insufficient: reported, not compared");
    if (audit.has("min_class_count")) {
      int n = audit.path("min_class_count").asInt();
      md.append("; a TPR is compared only with at least ").append(n).append(" positives, an FPR with ").append(n)
          .append(" negatives (marked * when not)");
    }
    md.append(".\n");
    for (JsonNode a : audit.path("attributes")) {
      md.append("\n### ").append(a.path("attribute").asText()).append(" (").append(a.path("status").asText()).append(")\n\n")
          .append("| group | status | rows | positives | selection rate | TPR | FPR | precision | ROC AUC |\n")
          .append("|---|---|---|---|---|---|---|---|---|\n");
      for (JsonNode g : a.path("groups")) {
        md.append("| ").append(g.path("group").asText().replace("|", "\\|")).append(" | ").append(g.path("status").asText())
            .append(" | ").append(g.path("rows").asLong()).append(" | ").append(g.path("positives").asLong());
        for (String k : new String[] {"selection_rate", "true_positive_rate", "false_positive_rate", "precision", "roc_auc"}) {
          md.append(" | ").append(fmt(g.path(k)));
          if (g.path(k + "_compared").isBoolean() && !g.path(k + "_compared").asBoolean() && !g.path(k).isNull()
              && g.path("status").asText().equals("ok")) {
            md.append("*");
          }
        }
        md.append(" |\n");
      }
      md.append("\n| gap | value | between | limit | |\n|---|---|---|---|---|\n");
      for (JsonNode d : a.path("disparities")) {
        JsonNode between = d.path("between");
        md.append("| ").append(d.path("metric").asText()).append(" | ").append(fmt(d.path("value"))).append(" | ")
            .append(between.isArray() ? between.get(0).asText() + " / " + between.get(1).asText() : "").append(" | ")
            .append(d.path("limit").isNull() ? "not gated" : fmt(d.path("limit"))).append(" | ")
            .append(d.path("limit").isNull() ? "" : d.path("passed").asBoolean() ? "pass" : "FAIL").append(" |\n");
      }
      JsonNode largest = a.path("largest_gap");
      md.append("\nLargest gap: ").append(largest.path("metric").asText()).append(" ").append(fmt(largest.path("value")))
          .append(largest.path("between").isArray() ? ", between " + largest.path("between").get(0).asText() + " and "
          + largest.path("between").get(1).asText() : "").append(".\n");
    }
  }

  private static String fmt(JsonNode n) {
    return n.isNull() || n.isMissingNode() ? "undefined" : String.format(Locale.ROOT, "%.4f", n.asDouble());
  }
}
