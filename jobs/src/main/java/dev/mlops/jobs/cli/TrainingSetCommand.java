package dev.mlops.jobs.cli;

import dev.mlops.core.CodeVersion;
import dev.mlops.core.tables.TableName;
import dev.mlops.training.ModelTrainer;
import dev.mlops.training.sets.RecordedTrainingSet;
import dev.mlops.training.spec.ModelSpecLoader.LoadedSpec;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code mlops training-set}: builds a model's point-in-time training set from its spec's spine and
 * saves it with its record, for {@code mlops train --training-set} to train on: the retraining
 * pipeline's first step.
 */
@Command(name = "training-set",
    description = "Build a model's training set from its spec's spine (point-in-time, every view pinned) and save it,"
        + " with what it was built for, as a new Delta version of the table; `mlops train --training-set` trains on it.")
public final class TrainingSetCommand implements Callable<Integer> {
  @ParentCommand MlopsCommand parent;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "NAME|FILE",
      description = "A model in training.models (fraud for conf/models/fraud.yaml), or a spec file.")
  String model;

  @Option(names = "--out", paramLabel = "DATABASE.TABLE",
      description = "The table to save the set in (default: ml.training_MODEL, the table `mlops train` saves in).")
  String out;

  @Override
  public Integer call() {
    CliContext ctx = new CliContext(parent.global, parent.output());
    Output output = ctx.output();
    LoadedSpec loaded = ctx.modelSpec(model);
    TableName table = out == null ? ModelTrainer.trainingSetTable(loaded.spec().name()) : TableName.parse(out);
    output.progress("building the training set of " + loaded.spec().name() + " from " + loaded.file() + " into " + table);
    RecordedTrainingSet set = ctx.runs().run("training-set", spec.commandLine().getParseResult().originalArgs(), run ->
        new ModelTrainer(ctx.warehouse(), ctx.featureStore(), ctx.modelRegistry(), Clock.systemUTC(), CodeVersion.current())
            .buildTrainingSet(loaded, table, run));
    output.human(String.format("%s: %,d rows for %s (feature service %s v%d); train on it with"
        + " `mlops train --model %s --training-set %s@%d`", set.table(), set.rows(), set.model(), set.service(),
        set.serviceVersion(), model, set.table().table(), set.table().version()));
    set.viewPins().forEach(p -> output.human("  pinned " + p));
    set.sources().forEach(s -> output.human("  spine source " + s));
    output.machine(json(set));
    return 0;
  }

  static Map<String, Object> json(RecordedTrainingSet set) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model", set.model());
    m.put("table", set.table().table().toString());
    m.put("version", set.table().version());
    m.put("rows", set.rows());
    m.put("feature_service", set.service());
    m.put("feature_service_version", set.serviceVersion());
    m.put("spec_sha256", set.specSha256());
    m.put("feature_columns", set.featureColumns());
    m.put("view_pins", set.viewPins().stream().map(Object::toString).toList());
    m.put("sources", set.sources().stream().map(Object::toString).toList());
    return m;
  }
}
