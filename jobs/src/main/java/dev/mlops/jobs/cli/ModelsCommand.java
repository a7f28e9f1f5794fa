package dev.mlops.jobs.cli;

import dev.mlops.features.registry.FeatureRegistry;
import dev.mlops.training.ModelCard;
import dev.mlops.training.ModelReproducer;
import dev.mlops.training.ReproduceResult;
import dev.mlops.training.registry.ModelEvent;
import dev.mlops.training.registry.ModelRegistry;
import dev.mlops.training.registry.ModelVersion;
import dev.mlops.training.registry.Stage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code mlops models ...}: the model registry. */
@Command(name = "models",
    description = "The model registry: versions with lineage, stages, approvals, aliases, cards, reproduction.",
    subcommands = {ModelsCommand.ListModels.class, ModelsCommand.Show.class, ModelsCommand.Promote.class,
        ModelsCommand.Rollback.class, ModelsCommand.Reject.class, ModelsCommand.Alias.class, ModelsCommand.Card.class,
        ModelsCommand.Reproduce.class})
public final class ModelsCommand {
  @ParentCommand MlopsCommand parent;

  CliContext context() {
    return new CliContext(parent.global, parent.output());
  }

  static List<String> args(picocli.CommandLine.Model.CommandSpec spec) {
    return spec.commandLine().getParseResult().originalArgs();
  }

  /** A model, and a version: a number, a stage or {@code @alias}. */
  static ModelVersion resolve(ModelRegistry registry, String model, String version) {
    return registry.resolve(model, model.startsWith("models:/") ? model : version == null ? "Production" : version);
  }

  /** {@code models list}. */
  @Command(name = "list", description = "List the models, or the versions of one.")
  static final class ListModels implements Callable<Integer> {
    @ParentCommand ModelsCommand models;

    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL", description = "Show this model's versions.")
    String model;

    @Override
    public Integer call() {
      CliContext ctx = models.context();
      ModelRegistry registry = ctx.modelRegistry();
      List<Row> rows = new ArrayList<>();
      List<Map<String, Object>> json = new ArrayList<>();
      for (String m : model == null ? registry.models() : List.of(model)) {
        Map<String, Integer> aliases = registry.aliases(m);
        List<ModelVersion> versions = registry.versions(m);
        if (versions.isEmpty()) {
          registry.version(m, 1); // names the models there are
        }
        for (ModelVersion v : versions) {
          String as = String.join(",", aliases.entrySet().stream().filter(e -> e.getValue() == v.version())
              .map(e -> "@" + e.getKey()).toList());
          rows.add(RowFactory.create(v.model(), v.version(), v.stage().label(), as, v.gatePassed() ? "passed" : "failed",
              fmt(v.metrics().get("roc_auc")), fmt(v.metrics().get("pr_auc")), v.createdAt().toString(), v.runId()));
          Map<String, Object> j = new LinkedHashMap<>();
          j.put("model", v.model());
          j.put("version", v.version());
          j.put("stage", v.stage().label());
          j.put("aliases", aliases.entrySet().stream().filter(e -> e.getValue() == v.version()).map(Map.Entry::getKey).toList());
          j.put("gate_passed", v.gatePassed());
          j.put("metrics", v.metrics());
          j.put("created_at", v.createdAt().toString());
          j.put("run_id", v.runId());
          json.add(j);
        }
      }
      ctx.output().human(TablePrinter.render(new String[] {"model", "version", "stage", "aliases", "gate", "roc_auc", "pr_auc",
          "created", "run"}, rows));
      ctx.output().machine(json);
      return 0;
    }
  }

  /** {@code models show}. */
  @Command(name = "show", description = "Show a version: stage, metrics, gate, lineage, history.")
  static final class Show implements Callable<Integer> {
    @ParentCommand ModelsCommand models;

    @Parameters(index = "0", paramLabel = "MODEL", description = "The model, or a reference such as models:/fraud@champion.")
    String model;

    @Parameters(index = "1", arity = "0..1", paramLabel = "VERSION",
        description = "A number, a stage or @alias (default: Production).")
    String version;

    @Override
    public Integer call() {
      CliContext ctx = models.context();
      ModelRegistry registry = ctx.modelRegistry();
      ModelVersion v = resolve(registry, model, version);
      Output out = ctx.output();
      out.human(v.id() + "  stage " + v.stage() + ", gate " + (v.gatePassed() ? "passed" : "FAILED") + ", aliases "
          + registry.aliases(v.model()).entrySet().stream().filter(e -> e.getValue() == v.version()).map(e -> "@" + e.getKey())
              .toList());
      out.human("  algorithm:     " + v.algorithm() + " " + v.params() + ", seed " + v.seed() + ", threshold " + v.threshold());
      out.human("  metrics:       " + v.metrics());
      out.human("  training set:  " + v.trainingSet());
      out.human("  features:      " + v.featureService() + " v" + v.featureServiceVersion() + ": " + v.featurePins());
      out.human("  sources:       " + v.sourceTables());
      out.human("  split:         " + v.split());
      out.human("  trained:       " + v.createdAt() + " by " + v.createdBy() + ", run " + v.runId() + ", code " + v.codeVersion());
      out.human("  artifact:      " + v.artifact());
      List<Row> rows = new ArrayList<>();
      for (ModelEvent e : registry.events(v.model())) {
        if (e.version() == v.version()) {
          rows.add(RowFactory.create(e.at().toString(), e.event(), e.fromStage() == null ? "" : e.fromStage(),
              e.toStage() == null ? "" : e.toStage(), e.actor(), e.reason() == null ? "" : e.reason()));
        }
      }
      out.human(TablePrinter.render(new String[] {"when", "event", "from", "to", "who", "why"}, rows));
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("model", v.model());
      json.put("version", v.version());
      json.put("stage", v.stage().label());
      json.put("gate_passed", v.gatePassed());
      json.put("metrics", v.metrics());
      json.put("params", v.params());
      json.put("training_set", v.trainingSet().table().toString());
      json.put("training_set_version", v.trainingSet().version());
      json.put("feature_pins", v.featurePins().stream().map(p -> Map.of("view", p.view(), "view_version", p.viewVersion(),
          "table", p.table().table().toString(), "delta_version", p.table().version())).toList());
      json.put("source_tables", v.sourceTables().stream().map(t -> Map.of("table", t.table().toString(), "version",
          t.version())).toList());
      json.put("artifact", v.artifact());
      out.machine(json);
      return 0;
    }
  }

  /** {@code models promote}. */
  @Command(name = "promote",
      description = "Move a version to a stage; Production needs a passed gate, --by and --reason. With --policy,"
          + " apply the model spec's promotion policy to the newest version, if it is in Staging and passed its gate.")
  static final class Promote implements Callable<Integer> {
    @ParentCommand ModelsCommand models;
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL") String model;
    @Parameters(index = "1", arity = "0..1", paramLabel = "VERSION", description = "A number or @alias (not with --policy).")
    String version;

    @Option(names = "--stage", defaultValue = "Production", description = "Staging, Production or Archived (default: ${DEFAULT-VALUE}).")
    String stage;

    // --by as in rollback, reject and alias; --approved-by is the older spelling, still accepted.
    @Option(names = {"--by", "--approved-by"}, paramLabel = "NAME",
        description = "Who approves (required for Production); --approved-by is a deprecated alias.") String approvedBy;
    @Option(names = "--reason", description = "Why (required for Production).") String reason;

    @Option(names = "--policy", description = "Apply the spec's promotion policy (auto: to Production; manual: stay in"
        + " Staging) to the newest version, if it is in Staging and passed its gate; nothing to do is not an error.")
    boolean policy;

    @Override
    public Integer call() {
      if (policy == (version != null)) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), CliErrors.promoteWhatUnclear(model).getMessage());
      }
      CliContext ctx = models.context();
      ModelRegistry registry = ctx.modelRegistry();
      if (policy) {
        return byPolicy(ctx, registry);
      }
      Stage to = Stage.parse(stage);
      ModelVersion v = resolve(registry, model, version);
      ModelVersion moved = ctx.runs().run("models.promote", args(spec), run -> registry.transition(v.model(), v.version(), to,
          approvedBy, reason, run));
      ctx.output().human(moved.id() + " is now in " + moved.stage());
      ctx.output().machine(Map.of("model", moved.model(), "version", moved.version(), "stage", moved.stage().label()));
      return 0;
    }

    /**
     * The spec's policy applied to the model's newest version if it is in Staging and passed its
     * gate; idempotent (a second call finds it moved, or nothing to do).
     */
    private int byPolicy(CliContext ctx, ModelRegistry registry) {
      dev.mlops.training.spec.ModelSpecLoader.LoadedSpec loaded = ctx.modelSpec(model);
      String name = loaded.spec().name();
      // The newest version only: what the train step before it registered. An older challenger
      // waiting in Staging is never promoted by policy (the newest may have failed its gate).
      java.util.Optional<ModelVersion> staged = registry.versions(name).stream()
          .max(java.util.Comparator.comparingInt(ModelVersion::version))
          .filter(v -> v.stage() == Stage.STAGING && v.gatePassed());
      ModelVersion result = staged.filter(v -> loaded.spec().autoPromote()).map(v -> ctx.runs().run("models.promote",
          args(spec), run -> registry.transition(name, v.version(), Stage.PRODUCTION, "policy:auto", "promotion: auto in "
              + loaded.file() + "; the gate passed", run))).orElse(staged.orElse(null));
      String what = result == null ? name + ": its newest version is not in Staging with a passed gate; nothing to promote"
          : result.id() + " is in " + result.stage() + " (promotion policy " + (loaded.spec().autoPromote() ? "auto" : "manual")
          + " in " + loaded.file() + ")";
      ctx.output().human(what);
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("model", name);
      json.put("version", result == null ? null : result.version());
      json.put("stage", result == null ? null : result.stage().label());
      json.put("policy", loaded.spec().autoPromote() ? "auto" : "manual");
      ctx.output().machine(json);
      return 0;
    }
  }

  /** {@code models rollback}. */
  @Command(name = "rollback",
      description = "Restore the previous Production version and archive the current one.")
  static final class Rollback implements Callable<Integer> {
    @ParentCommand ModelsCommand models;
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL") String model;
    @Option(names = "--by", required = true, paramLabel = "NAME", description = "Who rolls back.") String by;
    @Option(names = "--reason", required = true, description = "Why.") String reason;

    @Override
    public Integer call() {
      CliContext ctx = models.context();
      ModelRegistry registry = ctx.modelRegistry();
      ModelVersion restored = ctx.runs().run("models.rollback", args(spec), run -> registry.rollback(model, by, reason, run));
      ctx.output().human(restored.id() + " is back in Production");
      ctx.output().machine(Map.of("model", restored.model(), "version", restored.version(), "stage", restored.stage().label()));
      return 0;
    }
  }

  /** {@code models reject}. */
  @Command(name = "reject", description = "Record that a version was rejected, and why.")
  static final class Reject implements Callable<Integer> {
    @ParentCommand ModelsCommand models;
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL") String model;
    @Parameters(index = "1", paramLabel = "VERSION") int version;
    @Option(names = "--by", required = true, paramLabel = "NAME", description = "Who rejects.") String by;
    @Option(names = "--reason", required = true, description = "Why.") String reason;

    @Override
    public Integer call() {
      CliContext ctx = models.context();
      ModelRegistry registry = ctx.modelRegistry();
      ctx.runs().run("models.reject", args(spec), run -> {
        registry.reject(model, version, by, reason, run);
        return null;
      });
      ctx.output().human(model + " v" + version + " rejected by " + by);
      ctx.output().machine(Map.of("model", model, "version", version, "rejected_by", by));
      return 0;
    }
  }

  /** {@code models alias}. */
  @Command(name = "alias",
      description = "Point an alias (champion, challenger, any name) at a version, or delete it.")
  static final class Alias implements Callable<Integer> {
    @ParentCommand ModelsCommand models;
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL") String model;
    @Parameters(index = "1", paramLabel = "ALIAS") String alias;
    @Parameters(index = "2", arity = "0..1", paramLabel = "VERSION") Integer version;
    @Option(names = "--delete", description = "Delete the alias.") boolean delete;
    @Option(names = "--by", description = "Who (default: USER).") String by;

    @Override
    public Integer call() {
      if (delete == (version != null)) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), CliErrors.aliasActionUnclear(alias).getMessage());
      }
      CliContext ctx = models.context();
      ModelRegistry registry = ctx.modelRegistry();
      String who = by == null ? System.getenv().getOrDefault("USER", "unknown") : by;
      ctx.runs().run("models.alias", args(spec), run -> {
        if (delete) {
          registry.deleteAlias(model, alias, who, run);
        } else {
          registry.setAlias(model, alias, version, who, run);
        }
        return null;
      });
      ctx.output().human(delete ? model + "@" + alias + " deleted" : "models:/" + model + "@" + alias + " -> v" + version);
      ctx.output().machine(Map.of("model", model, "alias", alias, "version", delete ? -1 : version));
      return 0;
    }
  }

  /** {@code models card}. */
  @Command(name = "card", description = "Write a version's model card (Markdown) from the registry.")
  static final class Card implements Callable<Integer> {
    @ParentCommand ModelsCommand models;

    @Parameters(index = "0", paramLabel = "MODEL") String model;
    @Parameters(index = "1", arity = "0..1", paramLabel = "VERSION", description = "Default: Production.") String version;
    @Option(names = "--out", description = "Write the card to this file instead of stdout.") Path out;

    @Override
    public Integer call() throws IOException {
      CliContext ctx = models.context();
      ModelRegistry registry = ctx.modelRegistry();
      ModelVersion v = resolve(registry, model, version);
      String card = new ModelCard(registry, new FeatureRegistry(ctx.warehouse(), Clock.systemUTC())).render(v.model(), v.version());
      if (out != null) {
        Files.writeString(out, card, StandardCharsets.UTF_8);
        ctx.output().human("wrote the card of " + v.id() + " to " + out);
      } else {
        ctx.output().human(card.stripTrailing());
      }
      ctx.output().machine(Map.of("model", v.model(), "version", v.version(), "card", card));
      return 0;
    }
  }

  /** {@code models reproduce}. */
  @Command(name = "reproduce",
      description = "Rebuild a version's training set from its pins, retrain with its params and seed, compare; exit 1 if anything differs.")
  static final class Reproduce implements Callable<Integer> {
    @ParentCommand ModelsCommand models;
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL") String model;
    @Parameters(index = "1", paramLabel = "VERSION") String version;

    @Override
    public Integer call() {
      CliContext ctx = models.context();
      ModelRegistry registry = ctx.modelRegistry();
      ModelVersion v = resolve(registry, model, version);
      ctx.output().progress("reproducing " + v.id() + " from its pins: " + v.featurePins() + ", " + v.sourceTables());
      ReproduceResult r = ctx.runs().run("models.reproduce", args(spec), run ->
          new ModelReproducer(ctx.warehouse(), ctx.featureStore(), registry).reproduce(v.model(), v.version(), run));
      Output out = ctx.output();
      out.human(v.id() + ": " + (r.identical() ? "REPRODUCED: identical training set, metrics and predictions" : "DIFFERENT"));
      out.human(String.format("  training rows differing: %,d; test predictions compared: %,d, differing: %,d",
          r.trainingRowsDiffering(), r.predictionsCompared(), r.predictionsDiffering()));
      List<Row> rows = new ArrayList<>();
      r.recordedMetrics().forEach((k, x) -> rows.add(RowFactory.create(k, String.valueOf(x),
          String.valueOf(r.reproducedMetrics().get(k)))));
      out.human(TablePrinter.render(new String[] {"metric", "recorded", "reproduced"}, rows));
      r.differences().forEach(d -> out.human("  differs: " + d));
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("model", r.model());
      json.put("version", r.version());
      json.put("identical", r.identical());
      json.put("training_rows_differing", r.trainingRowsDiffering());
      json.put("predictions_compared", r.predictionsCompared());
      json.put("predictions_differing", r.predictionsDiffering());
      json.put("recorded_metrics", r.recordedMetrics());
      json.put("reproduced_metrics", r.reproducedMetrics());
      json.put("differences", r.differences());
      out.machine(json);
      return r.identical() ? 0 : out.failed(r.model() + " v" + r.version() + " was not reproduced: "
          + String.join("; ", r.differences()));
    }
  }

  private static String fmt(Double d) {
    return d == null ? "-" : String.format("%.4f", d);
  }
}
