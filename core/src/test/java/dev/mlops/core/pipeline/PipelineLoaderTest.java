package dev.mlops.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.config.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineLoaderTest {
  static final String FILE = "conf/pipelines/p.yaml";
  final PipelineLoader loader = new PipelineLoader();

  static String pipeline(String steps) {
    return "pipeline: p\nparams:\n  model: fraud\ndefaults:\n  retries: 2\n  retry-delay: 0s\n  timeout: 1h\nsteps:\n" + steps;
  }

  @Test
  void readsTheRepositorysPipelinesWithDefaultsApplied() {
    PipelineDefinition nightly = loader.find(Path.of("../conf/pipelines"), "nightly");
    assertThat(nightly.name()).isEqualTo("nightly");
    assertThat(nightly.params()).containsEntry("model", "fraud").containsEntry("service", "fraud_detection");
    PipelineStep score = nightly.step("score").orElseThrow();
    assertThat(score.retries()).as("from defaults").isEqualTo(1);
    assertThat(score.retryDelay()).isEqualTo(Duration.ofMinutes(5));
    assertThat(score.after()).containsExactly("validate_features", "materialize_customer_profile", "materialize_merchant_risk");
    assertThat(loader.find(Path.of("../conf/pipelines"), "retraining").stepIds())
        .containsExactly("apply_features", "training_set", "train", "promote", "card");
  }

  @Test
  void ordersStepsByDependencyThenFileOrder() {
    PipelineDefinition p = loader.parse(pipeline("""
          - {id: d, command: [sql, x], after: [b]}
          - {id: c, command: [sql, x]}
          - {id: b, command: [sql, x], after: [a]}
          - {id: a, command: [sql, x]}
        """), FILE);
    PipelineGraph graph = new PipelineGraph(p.steps());
    assertThat(graph.order()).containsExactly("c", "a", "b", "d");
    assertThat(graph.withDescendants("a")).containsExactlyInAnyOrder("a", "b", "d");
    assertThat(graph.withAncestors("d")).containsExactlyInAnyOrder("a", "b", "d");
    assertThat(p.step("a").orElseThrow().retryDelay()).as("0s is allowed for tests").isZero();
  }

  @Test
  void reportsEveryProblemWithFileAndKeyPath() {
    assertThatThrownBy(() -> loader.parse("""
        pipeline: p
        schedul: daily
        defaults: {retry-delay: soon}
        steps:
          - {id: a, command: [sql, "{{ dss }}"], retries: -1}
          - {id: a, command: [sql, x], after: [zz], timeout: 5 minutes, colour: red}
          - {command: [sql, x]}
          - {id: r, command: [sql, "{{ start }}"], range-command: [sql, "{{ params.nope }}"]}
        """, FILE))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(FILE + ": schedul: unknown key; known keys are").hasMessageContaining("did you mean \"schedule\"")
        .hasMessageContaining(FILE + ": defaults.retry-delay: expected a duration")
        .hasMessageContaining(FILE + ": steps[0] (a).command[1]: unknown template {{ dss }}")
        .hasMessageContaining(FILE + ": steps[0] (a).retries: expected a whole number >= 0")
        .hasMessageContaining(FILE + ": steps[1].id: duplicate step id a")
        .hasMessageContaining(FILE + ": steps[1].after[0]: step a runs after zz, which is not a step of the pipeline")
        .hasMessageContaining(FILE + ": steps[1] (a).timeout: expected a duration such as 0s, 30s, 5m, 1h or 1d, got \"5 minutes\"")
        .hasMessageContaining(FILE + ": steps[1].colour: unknown key")
        .hasMessageContaining(FILE + ": steps[2].id: is required")
        .hasMessageContaining(FILE + ": steps[3] (r).command[1]: unknown template {{ start }}")
        .hasMessageContaining("only in range-command")
        .hasMessageContaining(FILE + ": steps[3] (r).range-command[1]: unknown param nope");
  }

  @Test
  void namesTheStepsOfACycle() {
    assertThatThrownBy(() -> loader.parse(pipeline("""
          - {id: a, command: [sql, x], after: [c]}
          - {id: b, command: [sql, x], after: [a]}
          - {id: c, command: [sql, x], after: [b]}
        """), FILE)).isInstanceOf(ConfigException.class)
        .hasMessage(FILE + ": steps: the steps a -> c -> b -> a form a cycle; remove one of their after: entries");
  }

  @Test
  void findNamesTheKnownPipelinesWhenOneIsMissing() {
    assertThatThrownBy(() -> loader.find(Path.of("../conf/pipelines"), "nightlly"))
        .hasMessageContaining("Cannot find pipeline nightlly").hasMessageContaining("[nightly, retraining]");
  }

  @Test
  void aParamThatJinjaWouldRenderOtherwiseIsRefusedNamingIt() {
    String text = "pipeline: p\nparams:\n  model: fraud\n  days: 7\n  strict: true\n  ratio: 1.5\nsteps:\n"
        + "  - {id: a, command: [sql, x]}\n";
    assertThatThrownBy(() -> loader.parse(text, FILE))
        .hasMessageContaining("params.strict: expected a text or an integer, got true; quote it")
        .hasMessageContaining("params.ratio: expected a text or an integer, got 1.5")
        .message().doesNotContain("params.days").doesNotContain("params.model");
  }

  @Test
  void paramsAreOverriddenOnlyWhenDeclared() {
    PipelineDefinition p = loader.parse(pipeline("  - {id: a, command: [sql, x]}\n"), FILE);
    assertThat(p.withParams(Map.of("model", "churn")).params()).containsEntry("model", "churn");
    assertThatThrownBy(() -> p.withParams(Map.of("modle", "churn"))).hasMessageContaining("has no param modle")
        .hasMessageContaining("[model]");
  }

  @Test
  void rendersTheTemplateSubset() {
    Map<String, String> params = Map.of("model", "fraud");
    Templates.Values day = Templates.Values.day(LocalDate.of(2026, 12, 1), params);
    assertThat(Templates.render(List.of("--date", "{{ds}}", "{{ params.model }}", "{{ macros.ds_add(ds, -7) }}", "date={{ ds }}"),
        day, "x")).containsExactly("--date", "2026-12-01", "fraud", "2026-11-24", "date=2026-12-01");
    Templates.Values range = Templates.Values.range(LocalDate.of(2026, 11, 1), LocalDate.of(2026, 11, 30), params);
    assertThat(Templates.render("{{ start }}..{{ end }} {{ ds }}", range, "x")).isEqualTo("2026-11-01..2026-11-30 2026-11-30");
    assertThatThrownBy(() -> Templates.render("{{ start }}", day, "p.yaml: step a")).hasMessage(
        "p.yaml: step a: cannot render {{ start }} in \"{{ start }}\"");
    assertThat(Templates.problem("{{ ds | upper }}", false, params.keySet())).get().asString().contains("unknown template");
    assertThat(Templates.problem("{{ ds", false, params.keySet())).get().asString().contains("unbalanced");
  }
}
