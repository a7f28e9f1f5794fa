package dev.mlops.training.registry;

import dev.mlops.core.runs.JobRun;
import java.util.List;
import java.util.Optional;

/**
 * The model registry: registered models, their versions with lineage, stages, aliases and an
 * audit log of every change. At most one version of a model is in Production at any time, also
 * when promotions race. Implementations are thread-safe.
 */
public interface ModelRegistry {
  /**
   * Registers {@code candidate} as the model's next version, in stage None, and logs a
   * {@code register} event. The number and artifact folder of {@code candidate} are replaced.
   *
   * @return the version as registered
   */
  ModelVersion register(ModelVersion candidate, JobRun run);

  /** The names of the registered models. */
  List<String> models();

  /** Every version of {@code model}, oldest first; empty when it has none. */
  List<ModelVersion> versions(String model);

  /** Version {@code version} of {@code model}; fails naming the versions there are. */
  ModelVersion version(String model, int version);

  /** The version of {@code model} in {@code stage}, the latest one when there are several. */
  Optional<ModelVersion> inStage(String model, Stage stage);

  /**
   * The version a reference names: {@code models:/fraud/3}, {@code models:/fraud@champion},
   * {@code models:/fraud/Production}, or the same without {@code models:/} ({@code fraud@champion},
   * {@code fraud/3}); fails with a message naming what is missing.
   */
  ModelVersion resolve(String reference);

  /**
   * The version of {@code model} that {@code ref} names: a number ({@code 3}), a stage
   * ({@code Production}), an alias ({@code @champion}), or a whole reference
   * ({@code models:/fraud/3}, which wins over {@code model}). The one way a command or a spec
   * names a version.
   */
  default ModelVersion resolve(String model, String ref) {
    if (ref.startsWith("models:/")) {
      return resolve(ref);
    }
    return resolve(ref.startsWith("@") ? model + ref : model + "/" + ref);
  }

  /**
   * The versions of {@code model} for a message: {@code " (its versions: v1 Archived, v2
   * Production)"}, or {@code " (it has no versions; train it with ...)"}.
   */
  default String versionsText(String model) {
    List<ModelVersion> all = versions(model);
    if (all.isEmpty()) {
      return " (it has no versions; train it with `mlops train --model " + model + "`)";
    }
    return " (its versions: " + String.join(", ", all.stream().map(v -> "v" + v.version() + " " + v.stage()).toList()) + ")";
  }

  /**
   * The folder a training run of {@code model} saves its fitted pipeline and test predictions in;
   * recorded as the version's artifact.
   */
  String artifactFolder(String model, String runId);

  /**
   * Moves a version to {@code to}. Production requires a passed gate, an approver with a reason,
   * and that Production is still the version the gate compared it with (none, or the same
   * version): a verdict against another champion is stale. The version in Production before goes
   * to Archived in the same commit. Fails, and logs a {@code transition_refused} event, when the
   * registry changed meanwhile (another promotion won the race).
   *
   * @param approver who approves; required for Production
   * @param reason why; required for Production
   * @return the version in its new stage
   */
  ModelVersion transition(String model, int version, Stage to, String approver, String reason, JobRun run);

  /**
   * Restores the version that was in Production before the current one and archives the
   * current one, in one commit.
   *
   * @return the version now in Production
   */
  ModelVersion rollback(String model, String actor, String reason, JobRun run);

  /**
   * The version a {@link #rollback} would restore: the one in Production before the current one,
   * read from the audit log as a stack (a promotion pushes, a rollback pops what it rolled back
   * from); empty when there is none, or nothing is in Production.
   */
  default java.util.Optional<Integer> previousProduction(String model) {
    java.util.Optional<ModelVersion> current = inStage(model, Stage.PRODUCTION);
    List<Integer> history = new java.util.ArrayList<>();
    for (ModelEvent e : events(model)) {
      if (!Stage.PRODUCTION.label().equals(e.toStage())) {
        continue;
      }
      if (e.event().equals("transition")) {
        history.add(e.version());
      } else if (e.event().equals("rollback")) {
        if (!history.isEmpty()) {
          history.remove(history.size() - 1);
        }
        if (history.isEmpty() || history.get(history.size() - 1) != e.version()) {
          history.add(e.version());
        }
      }
    }
    return current.isPresent() && history.size() >= 2 && history.get(history.size() - 1) == current.get().version()
        ? java.util.Optional.of(history.get(history.size() - 2)) : java.util.Optional.empty();
  }

  /** Records that {@code actor} rejected a version, with the reason; its stage is unchanged. */
  void reject(String model, int version, String actor, String reason, JobRun run);

  /** Points {@code alias} of {@code model} at {@code version} (creating or moving it). */
  void setAlias(String model, String alias, int version, String actor, JobRun run);

  /** Removes {@code alias} of {@code model}; fails when there is no such alias. */
  void deleteAlias(String model, String alias, String actor, JobRun run);

  /** The aliases of {@code model} and the versions they point at. */
  java.util.Map<String, Integer> aliases(String model);

  /**
   * Every table version that a version not in Archived still needs readable: its feature views'
   * tables, its training set and the spine's source tables, each named after the version
   * ({@code model fraud v3}). What {@code mlops features vacuum} must not break.
   */
  List<dev.mlops.features.TablePin> activePins();

  /** The audit log of {@code model}, oldest first. */
  List<ModelEvent> events(String model);
}
