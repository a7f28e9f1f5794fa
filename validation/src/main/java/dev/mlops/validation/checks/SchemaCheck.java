package dev.mlops.validation.checks;

import dev.mlops.validation.AnalysisResult;
import dev.mlops.validation.CheckResult;
import dev.mlops.validation.CheckStatus;
import dev.mlops.validation.Severity;
import dev.mlops.validation.analyzers.Analyzer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;

/**
 * The columns are there with their types (Spark SQL names: {@code bigint}, {@code string},
 * {@code decimal(10,2)}, ...); with {@code strict}, no other column. Needs no pass over the data.
 *
 * @param name the check's name
 * @param severity its severity
 * @param columns column name to type
 * @param strict whether other columns are an error
 */
public record SchemaCheck(String name, Severity severity, Map<String, String> columns, boolean strict) implements Check {
  public SchemaCheck {
    columns = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(columns));
    columns.forEach(SchemaCheck::parse);
  }

  /** The Spark type {@code type} names ({@code bigint}, {@code long}, {@code decimal(10,2)}, {@code array<string>}). */
  private static DataType parse(String column, String type) {
    try {
      return DataType.fromDDL(type);
    } catch (Exception e) { // Spark's ParseException is checked in Java's eyes

      throw new IllegalArgumentException("schema: column " + column + ": unknown type \"" + type + "\"");
    }
  }

  @Override
  public String type() {
    return "schema";
  }

  /** This check with another severity. */
  public SchemaCheck withSeverity(Severity s) {
    return new SchemaCheck(name, s, columns, strict);
  }

  @Override
  public List<Analyzer> analyzers() {
    return List.of();
  }

  @Override
  public CheckResult evaluate(AnalysisResult result) {
    Map<String, String> actual = new LinkedHashMap<>();
    for (StructField f : result.schema().fields()) {
      actual.put(f.name(), f.dataType().sql().toLowerCase(Locale.ROOT));
    }
    List<String> problems = new ArrayList<>();
    columns.forEach((c, t) -> {
      String got = actual.get(c);
      if (got == null) {
        problems.add("missing column " + c);
      } else if (!got.equals(parse(c, t).sql().toLowerCase(Locale.ROOT))) {
        problems.add(c + " is " + got + ", not " + t);
      }
    });
    if (strict) {
      actual.keySet().stream().filter(c -> !columns.containsKey(c)).forEach(c -> problems.add("unexpected column " + c));
    }
    String expected = columns.size() + " columns with their types" + (strict ? ", no other" : "");
    return new CheckResult(name, type(), severity, problems.isEmpty() ? CheckStatus.SUCCESS : CheckStatus.FAILURE,
        problems.isEmpty() ? "as expected" : String.join("; ", problems), expected,
        problems.isEmpty() ? "schema as expected" : "schema differs: " + String.join("; ", problems), -1);
  }
}
