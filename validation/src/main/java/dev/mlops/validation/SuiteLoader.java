package dev.mlops.validation;

import dev.mlops.core.config.ConfigException;
import dev.mlops.core.config.ConfigValueException;
import dev.mlops.core.config.Durations;
import dev.mlops.core.config.Problems;
import dev.mlops.core.config.YamlBinder;
import dev.mlops.core.tables.TableName;
import dev.mlops.validation.checks.Check;
import dev.mlops.validation.checks.Checks;
import dev.mlops.validation.checks.FreshnessCheck;
import dev.mlops.validation.checks.MetricCheck;
import dev.mlops.validation.checks.RowLevelCheck;
import dev.mlops.validation.checks.SchemaCheck;
import dev.mlops.validation.checks.UniqueCheck;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads a validation suite from YAML ({@code conf/validation/*.yaml}); see
 * {@code docs/VALIDATION.md} for the format. Errors name the file and the key path:
 * {@code conf/validation/t.yaml: checks[2].column: is required for range}, and a file's problems
 * are reported together (see {@link #load}). Thread-safe.
 */
public final class SuiteLoader {
  private final YamlBinder binder;

  public SuiteLoader(Function<String, String> env) {
    this.binder = new YamlBinder(env);
  }

  /**
   * The suite in {@code file}, shown as {@code displayName} in messages.
   *
   * @throws ConfigException naming every problem of the file, each with its key path. Its shape
   *     (unknown keys, wrong types) is checked first, in every key and check; then what it says:
   *     each check, the anomaly rules and the table. Two checks with the same name are reported
   *     once the rest is valid.
   */
  public Suite load(Path file, String displayName) {
    Problems problems = new Problems(displayName);
    SuiteFile f = binder.read(file, displayName, SuiteFile.class, problems);
    problems.throwIfAny();
    List<Check> checks = checks(f, displayName, problems);
    AnomalyRules rules = anomalyRules(f, displayName, problems);
    TableName table = table(f, displayName, problems);
    problems.throwIfAny();
    try {
      return new Suite(table, checks, rules, f.profile() == null ? List.of() : f.profile(), displayName);
    } catch (IllegalArgumentException e) {
      throw problems.add(displayName, e.getMessage()).exception();
    }
  }

  private static List<Check> checks(SuiteFile f, String displayName, Problems problems) {
    List<Check> checks = new ArrayList<>();
    for (int i = 0; i < f.checks().size(); i++) {
      try {
        checks.add(f.checks().get(i).toCheck());
      } catch (ConfigValueException e) {
        problems.add(displayName + ": checks[" + i + "]." + e.key(), e.getMessage());
      } catch (IllegalArgumentException e) {
        problems.add(displayName + ": checks[" + i + "]", e.getMessage());
      }
    }
    return checks;
  }

  private static AnomalyRules anomalyRules(SuiteFile f, String displayName, Problems problems) {
    if (f.anomalies() == null) {
      return null;
    }
    try {
      return f.anomalies().toRules();
    } catch (IllegalArgumentException e) {
      problems.add(displayName + ": anomalies", e.getMessage());
      return null;
    }
  }

  private static TableName table(SuiteFile f, String displayName, Problems problems) {
    try {
      return TableName.parse(f.table());
    } catch (IllegalArgumentException e) {
      problems.add(displayName, e.getMessage());
      return null;
    }
  }

  /** Every suite in {@code folder} ({@code *.yaml}, {@code *.yml}), by file name. */
  public List<Suite> loadAll(Path folder) {
    if (!java.nio.file.Files.isDirectory(folder)) {
      throw new ConfigException("Cannot load the validation suites: no folder " + folder
          + " (set validation.suites in the config)");
    }
    try (var files = java.nio.file.Files.list(folder)) {
      return files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted()
          .map(f -> load(f, folder.getFileName() + "/" + f.getFileName())).toList();
    } catch (java.io.IOException e) {
      throw new ConfigException("Cannot list the validation suites in " + folder + ": " + e.getMessage(), e);
    }
  }

  /** The file's shape. */
  public record SuiteFile(String table, List<String> profile, List<CheckDef> checks, AnomalyDef anomalies) {
    public SuiteFile {
      ConfigValueException.require("table", table);
      checks = checks == null ? List.of() : List.copyOf(checks);
    }
  }

  /** One check as written: {@code type} and the keys that type takes. */
  public record CheckDef(String type, String name, String severity, Boolean quarantine, String column, List<String> columns,
      Double min, Double max, Double value, List<String> values, String regex, Double quantile, String sql, String maxLag,
      Map<String, String> schema, Boolean strict) {
    public CheckDef {
      ConfigValueException.require("type", type);
    }

    Check toCheck() {
      Check c = switch (type) {
        case "row-count" -> Checks.rowCount(min == null ? null : min.longValue(), max == null ? null : max.longValue());
        case "completeness" -> Checks.completeness(requiredColumn(), require("min", min));
        case "not-null" -> Checks.notNull(requiredColumn());
        case "unique" -> Checks.unique(requiredColumns());
        case "primary-key" -> Checks.primaryKey(requiredColumns());
        case "non-negative" -> Checks.nonNegative(requiredColumn());
        case "min" -> Checks.min(requiredColumn(), require("value", value));
        case "max" -> Checks.max(requiredColumn(), require("value", value));
        case "range" -> Checks.range(requiredColumn(), require("min", min), require("max", max));
        case "allowed-values" -> Checks.allowedValues(requiredColumn(), require("values", values));
        case "pattern" -> Checks.pattern(requiredColumn(), require("regex", regex));
        case "predicate" -> Checks.predicate(require("name", name), require("sql", sql), columns == null ? List.of() : columns,
            min == null ? 1.0 : min);
        case "approx-distinct" -> Checks.approxDistinct(requiredColumn(), min, max);
        case "quantile" -> Checks.quantile(requiredColumn(), require("quantile", quantile), min, max);
        case "mean" -> Checks.mean(requiredColumn(), min, max);
        case "stddev" -> Checks.stddev(requiredColumn(), min, max);
        case "freshness" -> Checks.freshness(requiredColumn(), Durations.parse(require("max-lag", maxLag)).orElseThrow(() ->
            new ConfigValueException("max-lag", "expected a duration such as 6h or 2d, got \"" + maxLag + "\"")));
        case "schema" -> Checks.schema(require("schema", schema), strict != null && strict);
        default -> throw new ConfigValueException("type", "unknown check type \"" + type + "\"; one of row-count, "
            + "completeness, not-null, unique, primary-key, non-negative, min, max, range, allowed-values, pattern, "
            + "predicate, approx-distinct, quantile, mean, stddev, freshness, schema");
      };
      if (quarantine != null && quarantine) {
        if (!(c instanceof RowLevelCheck r)) {
          throw new ConfigValueException("quarantine", type + " is not a row-level check; only not-null, non-negative, min, "
              + "max, range, allowed-values, pattern and predicate can quarantine rows");
        }
        c = r.quarantined();
      }
      Severity s = severity == null ? Severity.ERROR : switch (severity) {
        case "error" -> Severity.ERROR;
        case "warning" -> Severity.WARNING;
        default -> throw new ConfigValueException("severity", "expected error or warning, got \"" + severity + "\"");
      };
      c = withSeverity(c, s);
      return name == null || type.equals("predicate") ? c : renamed(c, name);
    }

    private String requiredColumn() {
      return require("column", column);
    }

    private List<String> requiredColumns() {
      return require("columns", columns);
    }

    private <T> T require(String key, T v) {
      if (v == null) {
        throw new ConfigValueException(key, "is required for " + type);
      }
      return v;
    }

    private static Check withSeverity(Check c, Severity s) {
      if (c instanceof MetricCheck m) {
        return m.withSeverity(s);
      } else if (c instanceof RowLevelCheck r) {
        return r.withSeverity(s);
      } else if (c instanceof UniqueCheck u) {
        return u.withSeverity(s);
      } else if (c instanceof FreshnessCheck f) {
        return f.withSeverity(s);
      } else if (c instanceof SchemaCheck sc) {
        return sc.withSeverity(s);
      }
      throw new IllegalStateException("unknown check " + c);
    }

    private static Check renamed(Check c, String name) {
      if (c instanceof MetricCheck m) {
        return new MetricCheck(name, m.type(), m.severity(), m.analyzer(), m.reading(), m.bounds());
      } else if (c instanceof RowLevelCheck r) {
        return new RowLevelCheck(name, r.type(), r.severity(), new dev.mlops.validation.analyzers.Compliance(name,
            r.compliance().predicate(), r.compliance().inputs()), r.minPass(), r.quarantine());
      } else if (c instanceof UniqueCheck u) {
        return new UniqueCheck(name, u.severity(), u.columns(), u.primaryKey());
      } else if (c instanceof FreshnessCheck f) {
        return new FreshnessCheck(name, f.severity(), f.column(), f.maxLag());
      } else if (c instanceof SchemaCheck sc) {
        return new SchemaCheck(name, sc.severity(), sc.columns(), sc.strict());
      }
      throw new IllegalStateException("unknown check " + c);
    }
  }

  /** The anomaly rules as written. */
  public record AnomalyDef(Double maxChange, Double maxZ, Integer history, Integer minHistory, String severity,
      List<String> metrics) {
    AnomalyRules toRules() {
      Severity s = severity == null || severity.equals("warning") ? Severity.WARNING
          : severity.equals("error") ? Severity.ERROR : null;
      if (s == null) {
        throw new IllegalArgumentException("severity: expected error or warning, got \"" + severity + "\"");
      }
      return new AnomalyRules(maxChange, maxZ, history == null ? 10 : history, minHistory == null ? 3 : minHistory, s,
          metrics == null ? List.of() : metrics);
    }
  }
}
