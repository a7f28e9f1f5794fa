package dev.mlops.jobs.cli;

import dev.mlops.core.config.ConfigLoader;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Options every subcommand takes. */
final class GlobalOptions {
  @Option(names = "--conf", paramLabel = "FILE", scope = ScopeType.INHERIT,
      description = "Platform config file (default: ${DEFAULT-VALUE}).", defaultValue = ConfigLoader.DEFAULT_PATH)
  String conf;

  @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print machine-readable JSON on stdout.")
  boolean json;

  @Option(names = "--debug", scope = ScopeType.INHERIT, hidden = true, description = "Print stack traces of errors.")
  boolean debug;
}
