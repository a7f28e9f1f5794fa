package dev.mlops.validation;

import dev.mlops.core.tables.TableName;
import dev.mlops.validation.checks.Check;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The checks of one table, with the anomaly rules and the columns to profile. Build one with
 * {@link #builder} or load a YAML file with {@link SuiteLoader}. Immutable.
 *
 * @param table the table it validates
 * @param checks the checks, names unique
 * @param anomalies anomaly rules, or null for none
 * @param profile columns whose sketches go to {@code validation.profiles} (numeric: quantiles and
 *     distinct count; others: top values and distinct count)
 * @param source where it came from, for messages
 */
public record Suite(TableName table, List<Check> checks, AnomalyRules anomalies, List<String> profile, String source) {
  public Suite {
    Objects.requireNonNull(table, "table == null");
    checks = List.copyOf(checks);
    profile = List.copyOf(profile);
    Set<String> names = new HashSet<>();
    for (Check c : checks) {
      if (!names.add(c.name())) {
        throw new IllegalArgumentException("two checks are named " + c.name() + "; give one a name");
      }
    }
  }

  /** A builder of the suite of {@code table}. */
  public static Builder builder(String table) {
    return new Builder(TableName.parse(table));
  }

  /** This suite on another table (same columns expected). */
  public Suite on(TableName other) {
    return new Suite(other, checks, anomalies, profile, source);
  }

  /** Builds a {@link Suite}. Not thread-safe. */
  public static final class Builder {
    private final TableName table;
    private final List<Check> checks = new ArrayList<>();
    private final List<String> profile = new ArrayList<>();
    private AnomalyRules anomalies;

    private Builder(TableName table) {
      this.table = table;
    }

    public Builder check(Check check) {
      checks.add(Objects.requireNonNull(check, "check == null"));
      return this;
    }

    public Builder anomalies(AnomalyRules rules) {
      this.anomalies = rules;
      return this;
    }

    public Builder profile(String... columns) {
      profile.addAll(List.of(columns));
      return this;
    }

    public Suite build() {
      return new Suite(table, checks, anomalies, profile, "suite of " + table);
    }
  }
}
