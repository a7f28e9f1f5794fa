package dev.mlops.validation;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import dev.mlops.core.spark.Identifiers;
import dev.mlops.core.spark.SparkJobs;
import dev.mlops.core.spark.internal.SparkInternals;
import dev.mlops.validation.analyzers.Analyzer;
import dev.mlops.validation.analyzers.Outcome;
import dev.mlops.validation.analyzers.ScanAnalyzer;
import dev.mlops.validation.analyzers.Size;
import dev.mlops.validation.analyzers.Uniqueness;
import dev.mlops.validation.internal.InternalScan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Computes analyzers over data in as few passes as possible: every {@link ScanAnalyzer} (exact
 * metrics and sketches alike) in <b>one</b> pass ({@link ScanPass}), and every {@link Uniqueness} in one
 * more, a group-by of all the key sets at once. Equal analyzers are computed once. An analyzer
 * whose input column is missing fails with that column's name; the others still run.
 * Thread-safe.
 */
public final class AnalysisRunner {
  private AnalysisRunner() {}

  /**
   * Runs {@code analyzers} over {@code data}, through Spark's internals where this Spark has them.
   *
   * @param referenceMicros the time freshness is measured against
   */
  public static AnalysisResult run(Dataset<Row> data, Collection<? extends Analyzer> analyzers, long referenceMicros) {
    return run(data, analyzers, referenceMicros, InternalScan.current());
  }

  /**
   * As {@link #run(Dataset, Collection, long)}, through Spark's internals only when
   * {@code internals} says they are there.
   */
  public static AnalysisResult run(Dataset<Row> data, Collection<? extends Analyzer> analyzers, long referenceMicros,
      SparkInternals.Availability internals) {
    Map<Analyzer, Outcome> outcomes = new LinkedHashMap<>();
    Set<Analyzer> wanted = new LinkedHashSet<>();
    wanted.add(new Size()); // uniqueness is a share of all rows
    wanted.addAll(analyzers);
    Map<ScanAnalyzer, List<Column>> scans = new LinkedHashMap<>();
    List<Uniqueness> keys = new ArrayList<>();
    sort(data, wanted, outcomes, scans, keys);
    ScanPath[] path = new ScanPath[1];
    SparkJobs.inGroup(data.sparkSession(), "validation-" + java.util.UUID.randomUUID(), "validation: " + scans.size()
        + " analyzers in one pass" + (keys.isEmpty() ? "" : ", " + keys.size() + " key sets in one group-by"), () -> {
          ScanPass.Result pass = ScanPass.run(data, scans, internals);
          outcomes.putAll(pass.outcomes());
          path[0] = pass.path();
          long rows = (long) outcomes.get(new Size()).value();
          uniqueness(data, keys, rows, outcomes);
        });
    Map<Analyzer, Outcome> ordered = new LinkedHashMap<>();
    for (Analyzer a : wanted) {
      ordered.put(a, outcomes.get(a));
    }
    return new AnalysisResult(ordered, data.schema(), referenceMicros, path[0]);
  }

  /**
   * Puts each analyzer where it runs: a failed outcome (a missing column, a wrong type, an
   * expression that does not resolve), the shared pass with its projections, or the key sets.
   */
  private static void sort(Dataset<Row> data, Set<Analyzer> wanted, Map<Analyzer, Outcome> outcomes,
      Map<ScanAnalyzer, List<Column>> scans, List<Uniqueness> keys) {
    Set<String> present = new LinkedHashSet<>(Arrays.asList(data.columns()));
    for (Analyzer a : wanted) {
      List<String> missing = a.inputs().stream().filter(c -> !present.contains(c)).toList();
      if (!missing.isEmpty()) {
        outcomes.put(a, Outcome.failed("column " + String.join(", ", missing) + " not found (columns: "
            + String.join(", ", present) + ")"));
      } else if (a instanceof ScanAnalyzer s) {
        String problem = s.typeProblem(data.schema());
        if (problem != null) {
          outcomes.put(a, Outcome.failed(problem));
        } else {
          scans.put(s, s.projections(data.schema()));
        }
      } else if (a instanceof Uniqueness u) {
        keys.add(u);
      } else {
        throw new IllegalArgumentException("cannot run analyzer " + a);
      }
    }
    // Spark analyzes the projection without running a job; only when the whole does not resolve is
    // each analyzer tried alone, to fail just the broken ones (a SQL predicate with a typo).
    if (unresolvable(data, scans.values().stream().flatMap(List::stream).toList()) != null) {
      for (Map.Entry<ScanAnalyzer, List<Column>> e : List.copyOf(scans.entrySet())) {
        String problem = unresolvable(data, e.getValue());
        if (problem != null) {
          outcomes.put(e.getKey(), Outcome.failed(e.getKey().name() + "(" + e.getKey().column() + ") cannot be computed: "
              + problem));
          scans.remove(e.getKey());
        }
      }
    }
  }

  /** Why the projection {@code columns} does not resolve against {@code data}, or null when it does. */
  private static String unresolvable(Dataset<Row> data, List<Column> columns) {
    try {
      data.select(columns.toArray(Column[]::new)).schema();
    } catch (Exception e) { // AnalysisException, a ParseException: checked in Java's eyes or not
      return dev.mlops.core.spark.SparkErrors.message(e);
    }
    if (columns.isEmpty() || data.columns().length == 0) {
      return null;
    }
    // An aggregate makes the projection an aggregation, where a plain column beside it is refused.
    List<Column> withColumn = new ArrayList<>(columns);
    withColumn.add(Identifiers.column(data.columns()[0]));
    try {
      data.select(withColumn.toArray(Column[]::new)).schema();
      return null;
    } catch (Exception e) {
      return "an aggregate function in a row-level expression";
    }
  }

  /** All key sets in one group-by: each row contributes one (key set, key) pair per set. */
  private static void uniqueness(Dataset<Row> data, List<Uniqueness> keys, long rows, Map<Analyzer, Outcome> outcomes) {
    if (keys.isEmpty()) {
      return;
    }
    List<Column> pairs = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      List<String> cols = keys.get(i).columns();
      Column allNull = lit(true); // as Deequ: a key with some columns set is a key
      for (String c : cols) {
        allNull = allNull.and(col(Identifiers.quote(c)).isNull());
      }
      Column key = cols.size() == 1 ? col(Identifiers.quote(cols.get(0))).cast("string")
          : to_json(struct(cols.stream().map(c -> col(Identifiers.quote(c)).cast("string").as(c)).toArray(Column[]::new)));
      pairs.add(struct(lit(i).as("s"), when(allNull, lit(null).cast("string")).otherwise(key).as("k")));
    }
    Dataset<Row> counted = data.select(explode(array(pairs.toArray(Column[]::new))).as("p"))
        .where(col("p.k").isNotNull())
        .groupBy(col("p.s").as("s"), col("p.k").as("k")).agg(count(lit(1)).as("n"))
        .groupBy("s").agg(sum(when(col("n").equalTo(1), 1L).otherwise(0L)).as("unique_rows"));
    long[] unique = new long[keys.size()];
    for (Row r : counted.collectAsList()) {
      unique[r.getInt(0)] = r.getLong(1);
    }
    for (int i = 0; i < keys.size(); i++) {
      outcomes.put(keys.get(i), Outcome.of(rows == 0 ? 1.0 : (double) unique[i] / rows, unique[i]));
    }
  }
}
