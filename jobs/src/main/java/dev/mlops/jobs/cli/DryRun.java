package dev.mlops.jobs.cli;

import dev.mlops.features.repo.FeatureRepoLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The global {@code --dry-run}: a command line is parsed (picocli has done that), its config is
 * loaded, and the feature views and services, suites and model specs it names are resolved from
 * their files; nothing runs and Spark is not started. Commands that give {@code --dry-run} a meaning
 * of their own implement {@link OwnDryRun} and run as usual. Stateless.
 */
final class DryRun {
  /** A command that handles the global {@code --dry-run} itself. */
  interface OwnDryRun {}

  private DryRun() {}

  /** Whether {@code leaf} runs as usual under {@code --dry-run}. */
  static boolean ownedBy(ParseResult leaf) {
    return leaf.commandSpec().userObject() instanceof OwnDryRun;
  }

  /**
   * Checks the command of {@code leaf} (the innermost subcommand's parse result) and returns what
   * it names, resolved ({@code model fraud -> conf/models/fraud.yaml}).
   *
   * @throws dev.mlops.core.PlatformException naming the option and value that cannot be resolved
   */
  static List<String> check(ParseResult leaf, CliContext ctx) {
    ctx.config();
    List<String> resolved = new ArrayList<>();
    FeatureRepoLoader.RepoNames[] repo = new FeatureRepoLoader.RepoNames[1];
    for (ArgSpec arg : leaf.matchedArgs()) {
      String name = arg instanceof OptionSpec o ? o.longestName() : arg.paramLabel();
      Object value = arg.getValue();
      if (value instanceof String text) {
        resolve(ctx, leaf, name, text, repo).ifPresent(resolved::add);
      }
    }
    return resolved;
  }

  private static java.util.Optional<String> resolve(CliContext ctx, ParseResult leaf, String name, String value,
      FeatureRepoLoader.RepoNames[] repo) {
    boolean modelsCommand = leaf.commandSpec().parent() != null && leaf.commandSpec().parent().name().equals("models");
    switch (name) {
      case "--suite":
        return java.util.Optional.of("suite " + value + " -> " + ValidateCommand.suite(ctx, value).source());
      case "--model":
        return java.util.Optional.of("model " + value + " -> " + ctx.modelSpec(value).file());
      case "--training-set":
        TrainCommand.SetRef set = TrainCommand.SetRef.parse(value);
        return java.util.Optional.of("training set " + set.table() + (set.version() == null ? " (current version)"
            : "@v" + set.version()));
      case "--view", "--service":
        if (repo[0] == null) {
          Path dir = Path.of(ctx.config().config().features().repo());
          repo[0] = new FeatureRepoLoader(System::getenv, null).names(dir, dir.toString());
        }
        java.util.Set<String> known = name.equals("--view") ? repo[0].views() : repo[0].services();
        if (!known.contains(value)) {
          throw CliErrors.notInRepo(name, value, known, ctx.config().config().features().repo());
        }
        return java.util.Optional.of(name.substring(2) + " " + value + " -> " + ctx.config().config().features().repo());
      case "MODEL":
        return modelsCommand && !value.startsWith("models:/")
            ? java.util.Optional.of("model " + value + " -> " + ctx.modelSpec(value).file()) : java.util.Optional.empty();
      default:
        return java.util.Optional.empty();
    }
  }

  /** Prints the outcome of a successful check for {@code args}. */
  static int report(Output out, CommandLine leaf, List<String> args, String config, List<String> resolved) {
    out.human("dry run: mlops " + String.join(" ", args) + ": OK (config " + config + (resolved.isEmpty() ? ""
        : "; " + String.join(", ", resolved)) + "); would run " + leaf.getCommandSpec().qualifiedName());
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("dry_run", true);
    json.put("command", args);
    json.put("config", config);
    json.put("resolved", resolved);
    out.machine(json);
    return 0;
  }
}
