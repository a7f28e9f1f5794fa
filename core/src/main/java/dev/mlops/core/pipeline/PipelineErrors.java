package dev.mlops.core.pipeline;

import dev.mlops.core.PlatformException;
import java.nio.file.Path;
import java.util.List;

/**
 * The user-facing errors of pipelines: each says what is wrong and how to fix it. Problems of a
 * definition file are {@link dev.mlops.core.config.ConfigException}s collected by
 * {@link PipelineLoader}. Stateless and thread-safe.
 */
public final class PipelineErrors {
  private PipelineErrors() {}

  /** Thrown when {@code --param} names a param the pipeline does not declare. */
  public static PlatformException unknownParam(PipelineDefinition p, String name) {
    return new PlatformException("Pipeline " + p.name() + " (" + p.source() + ") has no param " + name + "; its params are "
        + p.params().keySet() + ": pass --param with one of them, or declare it under params");
  }

  /** Thrown when a template cannot be rendered. */
  public static PlatformException badTemplate(String where, String problem) {
    return new PlatformException(where + ": " + problem);
  }

  /** Thrown when no file defines the pipeline {@code name}. */
  public static PlatformException notFound(String name, Path folder, List<String> known) {
    return new PlatformException("Cannot find pipeline " + name + ": no file " + name + " and no " + folder.resolve(name
        + ".yaml") + "; the pipelines there are " + known + " (set pipelines: in the config to another folder)");
  }

  /** Thrown when {@code --from}, {@code --only} or {@code --until} names a step the pipeline does not have. */
  public static PlatformException unknownStep(PipelineDefinition p, String option, String id) {
    return new PlatformException(option + " " + id + ": pipeline " + p.name() + " has no step " + id + "; its steps are "
        + p.stepIds() + dev.mlops.core.config.DidYouMean.hint(id, p.stepIds()));
  }

  /** Thrown when a backfill's range is empty. */
  public static PlatformException badRange(java.time.LocalDate start, java.time.LocalDate end) {
    return new PlatformException("Cannot backfill: --start " + start + " is after --end " + end + "; swap them");
  }
}
