package dev.mlops.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading suites: every problem of a file reported at once, each with its key path. */
class SuiteLoaderTest {
  static final String CHECK_TYPES = "row-count, completeness, not-null, unique, primary-key, non-negative, min, max,"
      + " range, allowed-values, pattern, predicate, approx-distinct, quantile, mean, stddev, freshness, schema";

  @TempDir Path dir;

  Suite load(String name, String yaml) throws Exception {
    return new SuiteLoader(Map.<String, String>of()::get).load(Files.writeString(dir.resolve(name), yaml), name);
  }

  @Test
  void aSuiteWithThreeBadChecksReportsAllThree() {
    assertThatThrownBy(() -> load("orders.yaml", """
        table: raw.orders
        checks:
          - {type: range, column: amount, min: 0}
          - {type: not-null}
          - {type: min, column: amount, value: 0}
          - {type: rnage, column: amount}
        anomalies: {severity: fatal}
        """)).isInstanceOf(ConfigException.class).hasMessage("orders.yaml has 4 problems:\n"
        + "  orders.yaml: checks[0].max: is required for range\n"
        + "  orders.yaml: checks[1].column: is required for not-null\n"
        + "  orders.yaml: checks[3].type: unknown check type \"rnage\"; one of " + CHECK_TYPES + "\n"
        + "  orders.yaml: anomalies: severity: expected error or warning, got \"fatal\"");
  }

  @Test
  void theShapeOfEveryCheckIsReportedTogetherBeforeWhatTheChecksSay() {
    assertThatThrownBy(() -> load("orders.yaml", """
        table: raw.orders
        owner: fraud-team
        checks:
          - {type: range, column: amount, mni: 0, max: 1}
          - {type: not-null}
          - {type: min, column: amount, value: low}
        """)).isInstanceOf(ConfigException.class).hasMessage("orders.yaml has 3 problems:\n"
        + "  orders.yaml: owner: unknown key (expected one of: anomalies, checks, profile, table)\n"
        + "  orders.yaml: checks[0].mni: unknown key (expected one of: column, columns, max, max-lag, min, name,"
        + " quantile, quarantine, regex, schema, severity, sql, strict, type, value, values); did you mean \"min\"?\n"
        + "  orders.yaml: checks[2].value: expected a number, got \"low\"");
  }

  @Test
  void aBadTableNameIsReportedWithTheChecks() {
    assertThatThrownBy(() -> load("t.yaml", """
        table: orders
        checks:
          - {type: not-null}
        """)).hasMessage("t.yaml has 2 problems:\n"
        + "  t.yaml: checks[0].column: is required for not-null\n"
        + "  t.yaml: Cannot use table name \"orders\": expected database.table, for example features.customer_stats");
  }

  @Test
  void oneProblemIsOneLineAndTwoChecksOfOneNameAreReportedOnceTheRestIsValid() {
    assertThatThrownBy(() -> load("t.yaml", """
        table: raw.orders
        checks:
          - {type: not-null, column: id, name: ids}
          - {type: unique, columns: [id], name: ids}
        """)).isInstanceOf(ConfigException.class).hasMessage("t.yaml: two checks are named ids; give one a name");
  }

  @Test
  void aValidSuiteLoads() throws Exception {
    Suite suite = load("t.yaml", """
        table: raw.orders
        profile: [amount]
        checks:
          - {type: not-null, column: id}
          - {type: range, column: amount, min: 0, max: 100, severity: warning}
        """);
    assertThat(suite.table().toString()).isEqualTo("raw.orders");
    assertThat(suite.checks()).hasSize(2);
    assertThat(suite.profile()).containsExactly("amount");
  }
}
