package dev.mlops.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;

/**
 * The CLI's conventions, checked on every command of the tree, so that a new subcommand inherits
 * them or fails here: {@code --help} prints its usage and exits 0 (whatever options it requires),
 * and {@code --json} and {@code --conf} are accepted everywhere.
 */
class CommandTreeTest {

  @TestFactory
  Stream<DynamicTest> everyCommandAnswersHelpAndTakesTheGlobalOptions() {
    List<CommandLine> commands = new ArrayList<>();
    collect(MlopsCommand.commandLine(System.out, System.err), commands);
    assertThat(commands).as("the tree holds the subcommands").hasSizeGreaterThan(30);
    return commands.stream().map(c -> DynamicTest.dynamicTest(c.getCommandSpec().qualifiedName(), () -> check(c)));
  }

  private static void collect(CommandLine cli, List<CommandLine> into) {
    if (cli.getCommand() instanceof CommandLine.HelpCommand) {
      return;
    }
    into.add(cli);
    cli.getSubcommands().values().forEach(sub -> collect(sub, into));
  }

  private static void check(CommandLine command) {
    String name = command.getCommandSpec().qualifiedName();
    List<String> args = new ArrayList<>(List.of(name.split(" ")).subList(1, name.split(" ").length));
    for (String option : List.of("--json", "--conf")) {
      assertThat(command.getCommandSpec().findOption(option)).as(name + " takes " + option).isNotNull();
    }
    for (String help : List.of("--help", "-h")) {
      List<String> call = new ArrayList<>(args);
      call.add(help);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code = MlopsCommand.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8), call.toArray(String[]::new));
      assertThat(code).as(name + " " + help + " exits 0; stderr: " + err.toString(StandardCharsets.UTF_8)).isZero();
      assertThat(out.toString(StandardCharsets.UTF_8)).as(name + " " + help + " prints its usage")
          .startsWith("Usage: " + name);
      assertThat(err.toString(StandardCharsets.UTF_8)).as(name + " " + help + " prints no error").isEmpty();
    }
  }
}
