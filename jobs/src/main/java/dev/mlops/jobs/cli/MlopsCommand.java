package dev.mlops.jobs.cli;

import dev.mlops.core.CodeVersion;
import dev.mlops.core.PlatformException;
import java.io.PrintStream;
import org.apache.spark.sql.AnalysisException;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine;

/** The {@code mlops} command and its subcommands. */
@Command(
    name = "mlops",
    mixinStandardHelpOptions = true,
    versionProvider = MlopsCommand.Version.class,
    description = "A batch MLOps platform on Spark: feature tables, validation, training, scoring, drift, online store.",
    subcommands = {SqlCommand.class, FeaturesCommand.class, OnlineCommand.class, ValidateCommand.class,
        TrainingSetCommand.class, TrainCommand.class, ModelsCommand.class, ScoreCommand.class, DriftCommand.class,
        MonitorCommand.class, DemoCommand.class, BenchCommand.class, AirflowCommand.class, PipelineCommand.class,
        ViewsCommand.class, CommandLine.HelpCommand.class})
public final class MlopsCommand implements Runnable {
  @Mixin GlobalOptions global;
  private PrintStream out = System.out;
  private PrintStream err = System.err;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(new CommandLine(this), "Missing a subcommand (see mlops --help)");
  }

  /** Runs {@code args} and returns the exit code: 0 success, 1 failure, 2 bad usage. */
  public static int execute(String... args) {
    return execute(System.out, System.err, args);
  }

  /** As {@link #execute(String...)}, printing to the given streams. */
  public static int execute(PrintStream out, PrintStream err, String... args) {
    return commandLine(out, err).execute(args);
  }

  /**
   * The command tree, printing to the given streams. Every command in it answers {@code -h} and
   * {@code --help} (added here, so that a new subcommand cannot miss them) and inherits the
   * {@link GlobalOptions}.
   */
  public static CommandLine commandLine(PrintStream out, PrintStream err) {
    return commandLine(out, err, null);
  }

  /**
   * As {@link #commandLine(PrintStream, PrintStream)}, telling {@code runStarted} (if not null)
   * the id of every recorded job the command starts.
   */
  static CommandLine commandLine(PrintStream out, PrintStream err, java.util.function.Consumer<String> runStarted) {
    MlopsCommand root = new MlopsCommand();
    root.out = out;
    root.err = err;
    CommandLine cli = new CommandLine(root);
    root.global.runStarted = runStarted;
    addHelpOptions(cli);
    cli.setOut(new java.io.PrintWriter(out, true));
    cli.setErr(new java.io.PrintWriter(err, true));
    cli.setExecutionStrategy(parseResult -> execute(root, parseResult));
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      boolean debug = parseResult.hasMatchedOption("--debug");
      err.println("error: " + describe(e));
      if (debug || !(e instanceof PlatformException || e instanceof AnalysisException)) {
        if (debug) {
          e.printStackTrace(err);
        } else {
          err.println("(run with --debug for the stack trace)");
        }
      }
      return 1;
    });
    return cli;
  }

  /**
   * Runs the parsed command; under {@code --dry-run} checks it instead (see {@link DryRun}), unless
   * the command gives {@code --dry-run} its own meaning.
   */
  private static int execute(MlopsCommand root, CommandLine.ParseResult parseResult) {
    Integer help = CommandLine.executeHelpRequest(parseResult);
    if (help != null) {
      return help;
    }
    CommandLine.ParseResult leaf = parseResult;
    while (leaf.hasSubcommand()) {
      leaf = leaf.subcommand();
    }
    if (!root.global.dryRun || DryRun.ownedBy(leaf)) {
      return new CommandLine.RunLast().execute(parseResult);
    }
    try {
      CliContext ctx = new CliContext(root.global, root.output());
      java.util.List<String> resolved = DryRun.check(leaf, ctx);
      return DryRun.report(ctx.output(), leaf.commandSpec().commandLine(), parseResult.originalArgs(),
          ctx.config().displayName(), resolved);
    } catch (RuntimeException e) {
      throw new CommandLine.ExecutionException(leaf.commandSpec().commandLine(), describe(e), e);
    }
  }

  /** Gives {@code -h, --help} to every subcommand of {@code cli} that has no usage-help option yet. */
  private static void addHelpOptions(CommandLine cli) {
    for (CommandLine sub : cli.getSubcommands().values()) {
      if (sub.getCommandSpec().options().stream().noneMatch(CommandLine.Model.OptionSpec::usageHelp) && !(sub.getCommand() instanceof CommandLine.HelpCommand)) {
        sub.getCommandSpec().addOption(CommandLine.Model.OptionSpec.builder("-h", "--help").usageHelp(true)
            .description("Show this help message and exit.").build());
      }
      addHelpOptions(sub);
    }
  }

  /** Where this invocation prints: the streams given to {@link #execute(PrintStream, PrintStream, String...)}. */
  Output output() {
    return new Output(out, err, global.json);
  }

  static String describe(Throwable e) {
    if (e instanceof AnalysisException a) {
      return a.getSimpleMessage();
    }
    if (e instanceof PlatformException) {
      return e.getMessage();
    }
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  /** {@code mlops --version}: the code version and the versions of Spark it was built for. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      CodeVersion v = CodeVersion.current();
      return new String[] {
        "mlops " + v.buildVersion() + " (" + v.label() + ")",
        "built for Spark " + v.sparkVersion() + " (Scala 2.13), with Delta Lake " + v.deltaVersion()
      };
    }
  }
}
