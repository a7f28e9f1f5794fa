package dev.mlops.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.TableVersion;
import dev.mlops.training.registry.DeltaModelRegistry;
import dev.mlops.training.registry.ModelEvent;
import dev.mlops.training.registry.ModelVersion;
import dev.mlops.training.registry.Stage;
import dev.mlops.training.spec.RecordedSpec;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code mlops models promote|rollback|reject|alias} in this JVM on a real Delta registry: what
 * they change, who they record and their exit codes (0 done, 1 refused, 2 bad usage).
 */
class ModelsCommandTest {
  static CliWarehouse cli;
  static DeltaModelRegistry registry;

  @BeforeAll
  static void setUp() {
    cli = CliWarehouse.get();
    registry = new DeltaModelRegistry(cli.warehouse, Clock.systemUTC());
  }

  /** Registers a version of {@code model} whose gate passed or failed against no champion. */
  static int register(String model, boolean gatePassed) {
    int champion = registry.inStage(model, Stage.PRODUCTION).map(ModelVersion::version).orElse(-1);
    ModelVersion v = ModelVersion.builder().model(model).runId("r").createdBy("tester")
        .createdAt(Instant.parse("2026-11-30T00:00:00Z")).algorithm("gbt").params(Map.of("maxDepth", "3")).seed(42L)
        .threshold(0.5).metrics(Map.of("roc_auc", gatePassed ? 0.9 : 0.5))
        .gate(gatePassed, "{\"passed\":" + gatePassed + ",\"champion_version\":" + (champion < 0 ? "null" : champion)
            + ",\"checks\":[{\"name\":\"min roc_auc\",\"passed\":" + gatePassed
            + ",\"message\":\"roc_auc 0.5000 < 0.7000 (minimum 0.7000)\"}]}")
        .trainingSet(new TableVersion(TableName.parse("ml.training_" + model), 1)).featureService("svc", 1)
        .featurePins(List.of()).sourceTables(List.of()).featureColumns(List.of("a"))
        .spec(new RecordedSpec("models/x.yaml", "name: x", "name: x\n", "0123456789abcdef")).versions("abc", "4.1.0")
        .artifact("/tmp/none").build();
    return registry.register(v, null).version();
  }

  @Test
  void promoteAndRollbackExitZeroWhenDoneOneWhenRefusedTwoOnBadUsage() {
    int failed = register("promo", false);
    int v2 = register("promo", true);
    CliWarehouse.Call refused = cli.mlops("models", "promote", "promo", String.valueOf(failed), "--by", "ann", "--reason",
        "try");
    assertThat(refused.code()).as("a failed gate is refused; stderr: " + refused.err()).isEqualTo(1);
    assertThat(refused.err()).as("stderr").startsWith("error: Cannot promote promo v1 to Production: its gate failed");
    CliWarehouse.Call unapproved = cli.mlops("models", "promote", "promo", String.valueOf(v2));
    assertThat(unapproved.code()).as("Production without an approver is refused").isEqualTo(1);
    assertThat(unapproved.err()).as("stderr").contains("pass --by NAME --reason TEXT");
    CliWarehouse.Call unknown = cli.mlops("models", "promote", "promo", String.valueOf(v2), "--approver", "ann");
    assertThat(unknown.code()).as("an unknown option is bad usage").isEqualTo(2);
    assertThat(unknown.err()).as("stderr").startsWith("Unknown options: '--approver', 'ann'");
    assertThat(cli.mlops("models", "promote", "promo").code()).as("a missing VERSION is bad usage").isEqualTo(2);
    assertThat(cli.mlops("models", "rollback", "promo", "--reason", "who?").code()).as("rollback needs --by").isEqualTo(2);
    assertThat(registry.inStage("promo", Stage.PRODUCTION)).as("nothing refused reached Production").isEmpty();

    CliWarehouse.Call old = cli.mlops("models", "promote", "promo", String.valueOf(v2), "--approved-by", "bea", "--reason",
        "first");
    assertThat(old.code()).as("the deprecated --approved-by still works; stderr: " + old.err()).isZero();
    CliWarehouse.Call nothing = cli.mlops("models", "rollback", "promo", "--by", "bob", "--reason", "oops");
    assertThat(nothing.code()).as("no earlier Production version to restore; stderr: " + nothing.err()).isEqualTo(1);
    assertThat(nothing.err()).as("stderr").startsWith("error: ").contains("promo v2");
    int v3 = register("promo", true);
    CliWarehouse.Call done = cli.mlops("models", "promote", "promo", String.valueOf(v3), "--by", "ann", "--reason",
        "beats v2");
    assertThat(done.code()).as("promotion; stderr: " + done.err()).isZero();
    assertThat(registry.inStage("promo", Stage.PRODUCTION).orElseThrow().version()).isEqualTo(v3);
    assertThat(registry.events("promo")).filteredOn(e -> e.event().equals("approve"))
        .extracting(ModelEvent::version, ModelEvent::actor, ModelEvent::reason)
        .containsExactly(tuple(v2, "bea", "first"), tuple(v3, "ann", "beats v2"));

    CliWarehouse.Call back = cli.mlops("models", "rollback", "promo", "--by", "bob", "--reason", "v3 misfires");
    assertThat(back.code()).as("rollback; stderr: " + back.err()).isZero();
    assertThat(registry.inStage("promo", Stage.PRODUCTION).orElseThrow().version()).as("restored").isEqualTo(v2);
    assertThat(registry.version("promo", v3).stage()).as("archived").isEqualTo(Stage.ARCHIVED);
    assertThat(registry.events("promo")).filteredOn(e -> e.event().equals("rollback"))
        .extracting(ModelEvent::version, ModelEvent::actor, ModelEvent::reason)
        .containsExactly(tuple(v3, "bob", "v3 misfires"), tuple(v2, "bob", "v3 misfires"));
  }

  @Test
  void rejectRecordsWhoAndWhyAndLeavesTheStage() {
    int v = register("rej", true);
    assertThat(cli.mlops("models", "reject", "rej", String.valueOf(v), "--by", "cy").code()).as("--reason is required")
        .isEqualTo(2);
    CliWarehouse.Call done = cli.mlops("models", "reject", "rej", String.valueOf(v), "--by", "cy", "--reason",
        "leaks the label");
    assertThat(done.code()).as("exit code; stderr: " + done.err()).isZero();
    assertThat(registry.events("rej")).filteredOn(e -> e.event().equals("reject"))
        .extracting(ModelEvent::version, ModelEvent::actor, ModelEvent::reason)
        .containsExactly(tuple(v, "cy", "leaks the label"));
    assertThat(registry.version("rej", v).stage()).as("the stage is unchanged").isEqualTo(Stage.NONE);
    assertThat(cli.mlops("models", "reject", "rej", "9", "--by", "cy", "--reason", "x").code())
        .as("an unknown version is refused").isEqualTo(1);
  }

  @Test
  void aliasDeleteRemovesOnlyThatAliasAndLogsIt() {
    int v1 = register("al", true);
    registry.setAlias("al", "champion", v1, "dee", null);
    registry.setAlias("al", "challenger", v1, "dee", null);
    CliWarehouse.Call both = cli.mlops("models", "alias", "al", "champion", "1", "--delete");
    assertThat(both.code()).as("a VERSION and --delete together are bad usage").isEqualTo(2);
    assertThat(both.err()).as("stderr").startsWith("models alias: give a VERSION to set champion, or --delete to remove it");

    CliWarehouse.Call done = cli.mlops("models", "alias", "al", "champion", "--delete", "--by", "dee");
    assertThat(done.code()).as("exit code; stderr: " + done.err()).isZero();
    assertThat(registry.aliases("al")).as("the other alias stays").containsExactly(Map.entry("challenger", v1));
    assertThatThrownBy(() -> registry.resolve("models:/al@champion")).hasMessageContaining("has no alias champion");
    assertThat(registry.events("al")).filteredOn(e -> e.event().equals("alias_deleted"))
        .extracting(ModelEvent::version, ModelEvent::actor, ModelEvent::reason).containsExactly(tuple(v1, "dee", "@champion"));
    CliWarehouse.Call again = cli.mlops("models", "alias", "al", "champion", "--delete");
    assertThat(again.code()).as("deleting a missing alias is refused").isEqualTo(1);
  }

  @Test
  void promoteByPolicyMovesOnlyTheNewestVersionAndNeverAnOlderChallenger() {
    // The repository's fraud spec: promotion auto.
    int challenger = register("fraud", true);
    registry.transition("fraud", challenger, Stage.STAGING, "tester", "a challenger in shadow", null);
    register("fraud", false);
    CliWarehouse.Call nothing = cli.mlops("models", "promote", "fraud", "--policy");
    assertThat(nothing.code()).as("nothing to promote is not an error; stderr: " + nothing.err()).isZero();
    assertThat(registry.inStage("fraud", Stage.PRODUCTION)).as("the older challenger stays where it was").isEmpty();

    int fresh = register("fraud", true);
    registry.transition("fraud", fresh, Stage.STAGING, "tester", "passed its gate", null);
    assertThat(cli.mlops("models", "promote", "fraud", "--policy").code()).isZero();
    assertThat(registry.inStage("fraud", Stage.PRODUCTION).orElseThrow().version()).isEqualTo(fresh);
    assertThat(registry.version("fraud", challenger).stage()).isEqualTo(Stage.STAGING);
    assertThat(cli.mlops("models", "promote", "fraud", "--policy").code()).as("a re-run").isZero();
    assertThat(registry.inStage("fraud", Stage.PRODUCTION).orElseThrow().version()).isEqualTo(fresh);
  }
}
