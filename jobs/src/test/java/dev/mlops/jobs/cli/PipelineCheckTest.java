package dev.mlops.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The global {@code --dry-run} and {@code pipeline check}, on the repository's feature repo,
 * suites, model specs and pipelines: nothing starts Spark.
 */
class PipelineCheckTest {
  static final Path REPO = Path.of(System.getProperty("mlops.repo.root", "..")).toAbsolutePath().normalize();
  @TempDir static Path dir;
  static Path conf;

  @BeforeAll
  static void setUp() throws Exception {
    conf = dir.resolve("check.yaml");
    Files.writeString(conf, "project: check\nwarehouse:\n  root: " + dir.resolve("warehouse") + "\n"
        + "features:\n  repo: " + REPO.resolve("conf/features") + "\n"
        + "validation:\n  suites: " + REPO.resolve("conf/validation") + "\n"
        + "training:\n  models: " + REPO.resolve("conf/models") + "\n"
        + "pipelines: " + REPO.resolve("conf/pipelines") + "\n");
  }

  static PipelineCommandTest.Call mlops(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> all = new ArrayList<>(List.of("--conf", conf.toString()));
    all.addAll(List.of(args));
    int code = MlopsCommand.execute(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true,
        StandardCharsets.UTF_8), all.toArray(String[]::new));
    return new PipelineCommandTest.Call(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aDryRunResolvesWhatTheCommandNamesWithoutSpark() throws Exception {
    PipelineCommandTest.Call ok = mlops("score", "--model", "fraud", "--date", "2026-12-01", "--dry-run");
    assertThat(ok.code()).as(ok.err()).isZero();
    assertThat(ok.out()).startsWith("dry run: mlops").contains("model fraud -> ").contains("fraud.yaml");
    PipelineCommandTest.Call json = mlops("features", "materialize", "--view", "customer_spend", "--end", "2026-12-01",
        "--dry-run", "--json");
    assertThat(json.json().get("resolved").get(0).asText()).startsWith("view customer_spend");
    PipelineCommandTest.Call view = mlops("features", "materialize", "--view", "customer_spent", "--end", "2026-12-01",
        "--dry-run");
    assertThat(view.code()).isEqualTo(1);
    assertThat(view.err()).startsWith("error: --view customer_spent: the feature repository").contains("did you mean \"customer_spend\"");
    PipelineCommandTest.Call suite = mlops("validate", "--suite", "raw_transaction", "--dry-run");
    assertThat(suite.code()).isEqualTo(1);
    assertThat(suite.err()).startsWith("error: --suite raw_transaction: no such file");
    GlobalOptions dry = new GlobalOptions();
    dry.conf = conf.toString();
    dry.dryRun = true;
    CliContext ctx = new CliContext(dry, new Output(System.out, System.err, false));
    assertThatThrownBy(ctx::spark).as("a dry run never opens Spark").hasMessage("a dry run must not start Spark");
  }

  @Test
  void checkDryRunsEveryStepOfTheRepositorysPipelines() {
    long started = System.nanoTime();
    PipelineCommandTest.Call r = mlops("pipeline", "check");
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("nightly: OK (14 steps)", "retraining: OK (5 steps)");
    assertThat((System.nanoTime() - started) / 1e9).isLessThan(15);
    assertThat(Files.exists(dir.resolve("warehouse"))).as("no table was written").isFalse();
  }

  @Test
  void checkNamesTheStepOfEachBrokenCopyOfNightly() throws Exception {
    String nightly = Files.readString(REPO.resolve("conf/pipelines/nightly.yaml"));
    Path subcommand = write("subcommand.yaml", nightly.replace("command: [score,", "command: [scroe,"));
    Path option = write("option.yaml", nightly.replace("[drift, --model, \"{{ params.model }}\", --date",
        "[drift, --modle, \"{{ params.model }}\", --date"));
    Path cycle = write("cycle.yaml", nightly.replace("  - id: apply_features\n    command: [features, apply]",
        "  - id: apply_features\n    after: [online_verify]\n    command: [features, apply]"));
    Path missing = write("missing.yaml", nightly.replace("after: [score]", "after: [scores]"));
    PipelineCommandTest.Call r = mlops("pipeline", "check", subcommand.toString(), option.toString(), cycle.toString(),
        missing.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("pipeline nightly, step score: mlops scroe --model fraud --date")
        .contains("Unmatched argument").contains("pipeline nightly, step drift: mlops drift --modle")
        .contains("form a cycle").contains("apply_features -> ").contains(cycle.toString())
        .contains("steps[10].after[0]: step validate_predictions runs after scores, which is not a step")
        .contains(missing.toString());
    assertThat(r.err()).startsWith("error: ");
    PipelineCommandTest.Call dry = mlops("pipeline", "run", option.toString(), "--date", "2026-12-01", "--dry-run");
    assertThat(dry.code()).isEqualTo(1);
    assertThat(dry.out()).contains("step drift");
  }

  static Path write(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text);
  }
}
