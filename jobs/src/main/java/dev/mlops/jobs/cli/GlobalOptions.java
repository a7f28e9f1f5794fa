package dev.mlops.jobs.cli;

import dev.mlops.core.config.ConfigLoader;
import java.util.function.Consumer;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Options every subcommand takes. */
final class GlobalOptions {
  @Option(names = "--conf", paramLabel = "FILE", scope = ScopeType.INHERIT,
      description = "Platform config file (default: ${DEFAULT-VALUE}).", defaultValue = ConfigLoader.DEFAULT_PATH)
  String conf;

  @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print machine-readable JSON on stdout.")
  boolean json;

  @Option(names = "--dry-run", scope = ScopeType.INHERIT, description = "Check the arguments, the config and the"
      + " feature views, services, suites, model specs and pipelines named; print what would run; do not start Spark."
      + " (features vacuum: list the files it would delete.)")
  boolean dryRun;

  @Option(names = "--debug", scope = ScopeType.INHERIT, hidden = true, description = "Print stack traces of errors.")
  boolean debug;

  /**
   * Told the run id of every recorded job the command starts (the pipeline runner's hook into
   * {@code ops.runs}); null when no one listens. Not an option.
   */
  Consumer<String> runStarted;
}
