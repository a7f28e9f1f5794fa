package dev.mlops.training;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.tables.Json;
import dev.mlops.features.Feature;
import dev.mlops.features.FeatureRef;
import dev.mlops.features.registry.FeatureRegistry;
import dev.mlops.features.registry.RegisteredService;
import dev.mlops.training.gate.GateVerdict;
import dev.mlops.training.registry.ModelEvent;
import dev.mlops.training.registry.ModelRegistry;
import dev.mlops.training.registry.ModelVersion;
import dev.mlops.training.spec.ModelSpec;
import dev.mlops.training.spec.ModelSpecLoader;
import java.util.Locale;

/**
 * A model version's card in Markdown, generated from the registry alone (never hand-written):
 * purpose, owner, training data and its time range, the features with their descriptions,
 * metrics overall and per slice, calibration, the gate's verdict, limitations, and every
 * approval and stage change. Thread-safe (stateless).
 */
public final class ModelCard {
  private final ModelRegistry registry;
  private final FeatureRegistry features;

  public ModelCard(ModelRegistry registry, FeatureRegistry features) {
    this.registry = registry;
    this.features = features;
  }

  /** The card of {@code model} version {@code version}. */
  public String render(String model, int version) {
    ModelVersion v = registry.version(model, version);
    ModelSpec spec = new ModelSpecLoader(System::getenv).recorded(v.spec()).spec();
    StringBuilder md = new StringBuilder();
    summary(md, v, spec);
    trainingData(md, v, spec, tree(v.split()));
    features(md, v);
    GlobalExplanationSection.append(md, v.globalExplanation());
    metrics(md, tree(v.evaluation()));
    gate(md, v, tree(v.gate()));
    FairnessSection.append(md, tree(v.evaluation()));
    md.append("\n## Limitations\n\n").append(spec.limitations().isEmpty() ? "None stated in the spec." : spec.limitations())
        .append("\n");
    approvals(md, v);
    return md.toString();
  }

  private void summary(StringBuilder md, ModelVersion v, ModelSpec spec) {
    md.append("# Model card: ").append(v.model()).append(" v").append(v.version()).append("\n\n");
    md.append("| | |\n|---|---|\n");
    row(md, "purpose", spec.description().isEmpty() ? "(no description in the spec)" : spec.description());
    row(md, "owner", spec.owner().isEmpty() ? "(no owner in the spec)" : spec.owner());
    row(md, "stage", v.stage().label());
    row(md, "aliases", String.join(", ", registry.aliases(v.model()).entrySet().stream()
        .filter(e -> e.getValue() == v.version()).map(e -> "@" + e.getKey()).toList()));
    row(md, "algorithm", v.algorithm() + ", seed " + v.seed() + ", threshold " + fmt(v.threshold()));
    row(md, "params", v.params().toString());
    row(md, "trained", v.createdAt() + " by " + v.createdBy() + " (run " + v.runId() + ", code " + v.codeVersion()
        + ", Spark " + v.sparkVersion() + ")");
    row(md, "spec", v.spec().file() + " (sha256 " + v.spec().sha256().substring(0, 12) + ")");
  }

  private static void trainingData(StringBuilder md, ModelVersion v, ModelSpec spec, JsonNode split) {
    md.append("\n## Training data\n\n");
    md.append("- Training set: ").append(code(v.trainingSet().table())).append(" version ").append(v.trainingSet().version())
        .append(", label ").append(code(spec.spine().label())).append(", keys ").append(spec.spine().keys()).append(".\n");
    md.append("- Split by ").append(code(split.path("time_column").asText())).append(": train before ")
        .append(split.path("train_end").asText()).append(", validation before ").append(split.path("validation_end").asText())
        .append(", test from then on. Rows: train ").append(split.path("rows").path("train").asLong()).append(", validation ")
        .append(split.path("rows").path("validation").asLong()).append(", test ").append(split.path("rows").path("test").asLong())
        .append(".\n");
    md.append("- Source tables: ").append(String.join(", ", v.sourceTables().stream().map(t -> code(t.table()) + " v"
        + t.version()).toList())).append(".\n");
    md.append("- Feature views: ").append(String.join(", ", v.featurePins().stream().map(p -> p.view() + " v" + p.viewVersion()
        + " at " + code(p.table().table()) + " v" + p.table().version()).toList())).append(".\n");
  }

  private void features(StringBuilder md, ModelVersion v) {
    md.append("\n## Features\n\n| feature | type | description |\n|---|---|---|\n");
    RegisteredService service = features.service(v.featureService(), v.featureServiceVersion());
    for (String f : v.featureColumns()) {
      FeatureRef ref = service.features().stream().filter(r -> r.outputName().equals(f)).findFirst().orElse(null);
      if (ref == null) {
        md.append("| ").append(f).append(" | request | a column of the spine |\n");
        continue;
      }
      Feature feature = features.view(ref.view(), ref.viewVersion()).features().stream().filter(x -> x.name().equals(ref.feature()))
          .findFirst().orElse(null);
      md.append("| ").append(f).append(" | ").append(feature == null ? "?" : feature.type().sqlName()).append(" | ")
          .append(feature == null ? "" : escape(feature.description())).append(" (").append(ref.view()).append(" v")
          .append(ref.viewVersion()).append(") |\n");
    }
  }

  private static void metrics(StringBuilder md, JsonNode evaluation) {
    md.append("\n## Metrics on the test split\n\n| metric | value |\n|---|---|\n");
    evaluation.path("overall").fields().forEachRemaining(e -> md.append("| ").append(e.getKey()).append(" | ")
        .append(e.getValue().isNull() ? "undefined" : fmt(e.getValue().asDouble())).append(" |\n"));
    if (evaluation.path("slices").size() > 0) {
      md.append("\n### By slice\n\n| slice | rows | positives | roc_auc | pr_auc | f1 |\n|---|---|---|---|---|---|\n");
      for (JsonNode s : evaluation.path("slices")) {
        JsonNode m = s.path("metrics");
        md.append("| ").append(s.path("column").asText()).append(" = ").append(s.path("value").asText()).append(" | ")
            .append(m.path("rows").asLong()).append(" | ").append(m.path("positives").asLong()).append(" | ")
            .append(num(m.path("roc_auc"))).append(" | ").append(num(m.path("pr_auc"))).append(" | ").append(num(m.path("f1")))
            .append(" |\n");
      }
    }
    md.append("\n### Calibration\n\n| predicted | rows | mean predicted | observed rate |\n|---|---|---|---|\n");
    for (JsonNode b : evaluation.path("calibration")) {
      md.append("| ").append(fmt(b.path("lower").asDouble())).append(" - ").append(fmt(b.path("upper").asDouble())).append(" | ")
          .append(b.path("rows").asLong()).append(" | ").append(num(b.path("mean_predicted"))).append(" | ")
          .append(num(b.path("observed_rate"))).append(" |\n");
    }
  }

  private static void gate(StringBuilder md, ModelVersion v, JsonNode gate) {
    md.append("\n## Gate: ").append(gate.path("passed").asBoolean() ? "passed" : "FAILED").append("\n\n");
    JsonNode champion = gate.path(GateVerdict.CHAMPION_VERSION);
    if (champion.isInt()) {
      md.append("Compared with the Production version of the time, ").append(v.model()).append(" v")
          .append(champion.intValue()).append(", on the same test rows.\n\n");
    }
    for (JsonNode c : gate.path("checks")) {
      md.append("- ").append(c.path("passed").asBoolean() ? "pass" : "FAIL").append(": ").append(c.path("message").asText())
          .append("\n");
    }
    if (gate.path("checks").isEmpty()) {
      md.append("- no checks configured\n");
    }
  }

  private void approvals(StringBuilder md, ModelVersion v) {
    md.append("\n## Approvals and stage changes\n\n| when | event | version | from | to | who | why |\n|---|---|---|---|---|---|---|\n");
    for (ModelEvent e : registry.events(v.model())) {
      if (e.version() != v.version() && !e.event().equals("rollback")) {
        continue;
      }
      md.append("| ").append(e.at()).append(" | ").append(e.event()).append(" | v").append(e.version()).append(" | ")
          .append(e.fromStage() == null ? "" : e.fromStage()).append(" | ").append(e.toStage() == null ? "" : e.toStage())
          .append(" | ").append(escape(e.actor())).append(" | ").append(e.reason() == null ? "" : escape(e.reason())).append(" |\n");
    }
  }

  /** {@code text} as inline code in Markdown. */
  private static String code(Object text) {
    return "`" + text + "`";
  }

  private static void row(StringBuilder md, String key, String value) {
    md.append("| ").append(key).append(" | ").append(escape(value)).append(" |\n");
  }

  private static String escape(String s) {
    return s.replace("|", "\\|").replace("\n", " ");
  }

  private static String num(JsonNode n) {
    return n.isNull() || n.isMissingNode() ? "undefined" : fmt(n.asDouble());
  }

  private static String fmt(double d) {
    return String.format(Locale.ROOT, "%.4f", d);
  }

  private static JsonNode tree(String json) {
    try {
      return Json.mapper().readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return Json.mapper().createObjectNode();
    }
  }

}
