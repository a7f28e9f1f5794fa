package dev.mlops.jobs.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.CodeVersion;
import dev.mlops.core.tables.Json;
import dev.mlops.core.tables.TableName;
import dev.mlops.training.ModelTrainer;
import dev.mlops.training.TrainResult;
import dev.mlops.training.gate.GateCheck;
import dev.mlops.training.sets.RecordedTrainingSet;
import dev.mlops.training.spec.ModelSpecLoader.LoadedSpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code mlops train}: trains, evaluates, gates and registers a version of a model. */
@Command(name = "train",
    description = "Build the training set (point-in-time, pinned) or take one saved by `mlops training-set`, search the"
        + " grid, evaluate, gate against Production, register the version; exit 1 when the gate fails.")
public final class TrainCommand implements Callable<Integer> {
  @ParentCommand MlopsCommand parent;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "NAME|FILE",
      description = "A model in training.models (fraud for conf/models/fraud.yaml), or a spec file.")
  String model;

  @Option(names = "--created-by", description = "Who trains (default: the USER environment variable).")
  String createdBy;

  @Option(names = "--no-promote", description = "Leave a version that passes the gate in Staging, whatever the spec's"
      + " promotion policy (a challenger to run in shadow).")
  boolean noPromote;

  @Option(names = "--training-set", paramLabel = "TABLE[@VERSION]", description = "Train on this set, saved by"
      + " `mlops training-set` (default version: the latest set saved in the table), instead of building one; it must have been"
      + " built for this model, from this text of its spec, with the feature service version the spec resolves to.")
  String trainingSet;

  @Override
  public Integer call() {
    CliContext ctx = new CliContext(parent.global, parent.output());
    SetRef set = trainingSet == null ? null : SetRef.parse(trainingSet);
    TrainResult r = run(ctx, model, set, createdBy == null ? System.getenv().getOrDefault("USER", "unknown") : createdBy,
        !noPromote, spec.commandLine().getParseResult().originalArgs());
    ctx.output().machine(json(r));
    return r.gate().passed() ? 0 : ctx.output().failed("the gate refused " + r.version().id() + ": "
        + String.join("; ", r.gate().failures()));
  }

  /**
   * A saved training set as {@code --training-set} names it.
   *
   * @param table the table
   * @param version its Delta version; null for the current one
   */
  record SetRef(TableName table, Long version) {
    private static final java.util.regex.Pattern FORM = java.util.regex.Pattern.compile(
        "([A-Za-z_][A-Za-z0-9_]*\\.[A-Za-z_][A-Za-z0-9_]*)(?:@v?+([0-9]{1,18}))?");

    /** Parses {@code DATABASE.TABLE} or {@code DATABASE.TABLE@VERSION} ({@code @vVERSION} too). */
    static SetRef parse(String text) {
      java.util.regex.Matcher m = FORM.matcher(text.strip());
      if (!m.matches()) {
        throw CliErrors.badTrainingSet(text);
      }
      return new SetRef(TableName.parse(m.group(1)), m.group(2) == null ? null : Long.parseLong(m.group(2)));
    }
  }

  /** Trains {@code model} as a recorded job and prints the summary for people. */
  static TrainResult run(CliContext ctx, String model, String by, boolean mayAutoPromote, List<String> args) {
    return run(ctx, model, null, by, mayAutoPromote, args);
  }

  /** As {@link #run(CliContext, String, String, boolean, List)}, on the saved set {@code set} unless null. */
  static TrainResult run(CliContext ctx, String model, SetRef set, String by, boolean mayAutoPromote, List<String> args) {
    Output out = ctx.output();
    LoadedSpec loaded = ctx.modelSpec(model);
    out.progress("training " + loaded.spec().name() + " (" + loaded.spec().algorithm().type() + ") from " + loaded.file()
        + (set == null ? "" : " on " + set.table() + (set.version() == null ? "" : "@v" + set.version())));
    TrainResult r = ctx.runs().run("train", args, run -> {
      ModelTrainer trainer = new ModelTrainer(ctx.warehouse(), ctx.featureStore(), ctx.modelRegistry(), Clock.systemUTC(),
          CodeVersion.current());
      return set == null ? trainer.train(loaded, by, mayAutoPromote, run) : trainer.train(loaded,
          RecordedTrainingSet.read(ctx.warehouse(), set.table(), set.version()), by, mayAutoPromote, run);
    });
    out.human(describe(r));
    return r;
  }

  static String describe(TrainResult r) {
    StringBuilder s = new StringBuilder();
    s.append(String.format("%s: %s, gate %s, stage %s%s%n", r.version().id(), r.version().algorithm(),
        r.gate().passed() ? "PASSED" : "FAILED", r.version().stage(), r.promoted() ? " (auto-promoted)" : ""));
    s.append(String.format("training set %s v%d: %,d rows; split %s%n", r.trainingSet().output(), r.trainingSet().version(),
        r.trainingSet().rows(), r.version().split()));
    List<Row> rows = new ArrayList<>();
    for (TrainResult.Candidate c : r.candidates()) {
      rows.add(RowFactory.create(c.chosen() ? "*" : "", c.params().toString(), String.format("%.4f", c.validation())));
    }
    s.append(TablePrinter.render(new String[] {"", "candidate", "validation " + r.selectionMetric()}, rows)).append('\n');
    List<Row> metrics = new ArrayList<>();
    r.test().overall().asMap().forEach((k, v) -> metrics.add(RowFactory.create(k, v == null ? "undefined"
        : k.equals("rows") || k.equals("positives") ? String.valueOf(v.longValue()) : String.format("%.4f", v))));
    s.append("test metrics:\n").append(TablePrinter.render(new String[] {"metric", "value"}, metrics)).append('\n');
    s.append("gate:\n");
    for (GateCheck c : r.gate().checks()) {
      s.append("  ").append(c.passed() ? "pass " : "FAIL ").append(c.message()).append('\n');
    }
    if (r.gate().checks().isEmpty()) {
      s.append("  no checks configured\n");
    }
    fairness(s, r);
    return s.toString().stripTrailing();
  }

  /** The fairness audit, when the spec asks for one: per attribute, its groups and gaps. */
  static void fairness(StringBuilder s, TrainResult r) {
    JsonNode audit = fairnessJson(r);
    for (JsonNode a : audit.path("attributes")) {
      s.append("fairness by ").append(a.path("attribute").asText()).append(" (").append(a.path("status").asText())
          .append("):\n");
      List<Row> rows = new ArrayList<>();
      for (JsonNode g : a.path("groups")) {
        rows.add(RowFactory.create(g.path("group").asText(), g.path("status").asText(), String.valueOf(g.path("rows").asLong()),
            String.valueOf(g.path("positives").asLong()), num(g.path("selection_rate")), num(g.path("true_positive_rate")),
            num(g.path("false_positive_rate")), num(g.path("precision")), num(g.path("roc_auc"))));
      }
      s.append(TablePrinter.render(new String[] {"group", "status", "rows", "positives", "selection", "TPR", "FPR",
          "precision", "roc_auc"}, rows)).append('\n');
      for (JsonNode d : a.path("disparities")) {
        JsonNode between = d.path("between");
        s.append("  ").append(d.path("metric").asText()).append(' ').append(num(d.path("value")))
            .append(between.isArray() ? " (" + between.get(0).asText() + " vs " + between.get(1).asText() + ")" : "")
            .append(d.path("limit").isNull() ? "" : ", limit " + num(d.path("limit"))).append('\n');
      }
    }
  }

  /** The version's fairness audit from its evaluation JSON; a missing node when it has none. */
  static JsonNode fairnessJson(TrainResult r) {
    try {
      return Json.mapper().readTree(r.version().evaluation()).path("fairness");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("The evaluation recorded with " + r.version().id() + " is not JSON: "
          + e.getOriginalMessage(), e);
    }
  }

  private static String num(JsonNode n) {
    return n.isNull() || n.isMissingNode() ? "-" : String.format(Locale.ROOT, "%.4f", n.asDouble());
  }

  static Map<String, Object> json(TrainResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model", r.version().model());
    m.put("version", r.version().version());
    m.put("stage", r.version().stage().label());
    m.put("promoted", r.promoted());
    m.put("gate_passed", r.gate().passed());
    m.put("gate_failures", r.gate().failures());
    m.put("metrics", r.version().metrics());
    m.put("params", r.version().params());
    m.put("threshold", r.version().threshold());
    m.put("training_set", r.trainingSet().output());
    m.put("training_set_version", r.trainingSet().version());
    m.put("training_rows", r.trainingSet().rows());
    m.put("run_id", r.version().runId());
    if (!fairnessJson(r).isMissingNode()) {
      m.put("fairness", fairnessJson(r));
    }
    return m;
  }
}
