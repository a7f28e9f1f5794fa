package dev.mlops.core.pipeline;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A pipeline as written in {@code conf/pipelines/<name>.yaml} (see {@code docs/PIPELINES.md}):
 * named steps of {@code mlops} commands with their dependencies. Obtain one with
 * {@link PipelineLoader}, which has checked it: ids unique, dependencies present and acyclic,
 * templates known. Immutable.
 *
 * @param name the pipeline's name
 * @param description what it does
 * @param schedule its cron schedule for Airflow, or null
 * @param params the values of {@code {{ params.NAME }}}
 * @param defaults what steps get unless they say otherwise (already applied to {@code steps})
 * @param steps the steps in file order
 * @param source the file it was read from, as named in messages
 */
public record PipelineDefinition(String name, String description, String schedule, Map<String, String> params,
    StepDefaults defaults, List<PipelineStep> steps, String source) {
  public PipelineDefinition {
    Objects.requireNonNull(name, "name == null");
    params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
    steps = List.copyOf(steps);
  }

  /** The step {@code id}, if there is one. */
  public Optional<PipelineStep> step(String id) {
    return steps.stream().filter(s -> s.id().equals(id)).findFirst();
  }

  /** The step ids in file order. */
  public List<String> stepIds() {
    return steps.stream().map(PipelineStep::id).toList();
  }

  /**
   * A copy whose params are overridden by {@code overrides} ({@code --param NAME=VALUE}).
   *
   * @throws dev.mlops.core.PlatformException naming the pipeline and the known params when one is not declared
   */
  public PipelineDefinition withParams(Map<String, String> overrides) {
    Map<String, String> all = new LinkedHashMap<>(params);
    for (Map.Entry<String, String> e : overrides.entrySet()) {
      if (!params.containsKey(e.getKey())) {
        throw PipelineErrors.unknownParam(this, e.getKey());
      }
      all.put(e.getKey(), e.getValue());
    }
    return new PipelineDefinition(name, description, schedule, all, defaults, steps, source);
  }

  /** A copy with {@code replaced} instead of the step of the same id. */
  public PipelineDefinition withStep(PipelineStep replaced) {
    List<PipelineStep> all = steps.stream().map(s -> s.id().equals(replaced.id()) ? replaced : s).toList();
    return new PipelineDefinition(name, description, schedule, params, defaults, all, source);
  }
}
