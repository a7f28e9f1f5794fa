package dev.mlops.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How {@code mlops sql -f} and the shell cut SQL text into statements. */
class SqlScriptTest {
  @Test
  void splitsOnSemicolonsOutsideQuotesAndComments() {
    String text = "SELECT 'a;b' AS x, \"c;d\", `e;f`;\n"
        + "-- a comment; with a semicolon\n"
        + "SELECT 2 /* block; comment */ AS y;\n"
        + "\n"
        + "SELECT 'it\\'s;' AS z";
    List<SqlScript.Statement> statements = SqlScript.statements(text);
    assertThat(statements).extracting(SqlScript.Statement::sql).as("three statements, the last without a ;")
        .containsExactly("SELECT 'a;b' AS x, \"c;d\", `e;f`",
            "-- a comment; with a semicolon\nSELECT 2 /* block; comment */ AS y", "SELECT 'it\\'s;' AS z");
    assertThat(statements).extracting(SqlScript.Statement::line).as("the line each starts on").containsExactly(1, 2, 5);
    assertThat(statements.get(1).firstLine()).isEqualTo("-- a comment; with a semicolon");
  }

  @Test
  void keepsAStatementOpenUntilItsSemicolonAndDropsEmptyOnes() {
    SqlScript.Split split = SqlScript.split("SELECT 1;;  -- only a comment\n;\nSELECT\n  2");
    assertThat(split.statements()).extracting(SqlScript.Statement::sql).containsExactly("SELECT 1");
    assertThat(split.rest()).as("the statement not ended yet").isEqualTo("\nSELECT\n  2");
    assertThat(SqlScript.isBlank(" -- c\n/* d */ ")).isTrue();
    assertThat(SqlScript.isBlank("SELECT '--'")).isFalse();
    assertThat(SqlScript.split("SELECT ';").rest()).as("an open quote swallows the ;").isEqualTo("SELECT ';");
  }
}
