package dev.mlops.benchmarks;

import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.mlops.core.spark.Identifiers;
import dev.mlops.validation.AnalysisResult;
import dev.mlops.validation.analyzers.Analyzer;
import dev.mlops.validation.analyzers.Completeness;
import dev.mlops.validation.analyzers.Compliance;
import dev.mlops.validation.analyzers.MaxTime;
import dev.mlops.validation.analyzers.Mean;
import dev.mlops.validation.analyzers.Outcome;
import dev.mlops.validation.analyzers.Size;
import dev.mlops.validation.analyzers.SketchAnalyzer;
import dev.mlops.validation.analyzers.StandardDeviation;
import dev.mlops.validation.sketches.HllState;
import dev.mlops.validation.sketches.KllState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Each analyzer of the validation benchmark as Spark's own aggregate functions (what Deequ's
 * fused plan computes; {@code hll_sketch_agg} and {@code kll_sketch_agg_double} for the
 * sketches), the final numbers read from the aggregate's row, and compared with ours.
 */
final class SparkCheckMetrics {
  /** The quantiles of every quantile sketch compared. */
  static final List<Double> QUANTILES = List.of(0.5, 0.99);
  /** Exact metrics: sums of doubles in another order. */
  static final double EXACT = 1e-9;
  /** Two HLL sketches of lgK 12 (1.6% standard error each), hashing alike or not. */
  static final double DISTINCT = 0.05;
  /** Two KLL sketches of k 200 (about 1.3% rank error each): the rank of the baseline's quantile in ours. */
  static final double RANK = 0.033;
  static final String TOLERANCE = "exact metrics " + EXACT + " relative; approx distinct " + DISTINCT
      + " relative (HLL lgK " + HllState.LG_K + "); quantiles " + RANK + " in rank (KLL k " + KllState.K + ")";

  /** One number a baseline computes: its label, and the Spark expression computing it. */
  record Metric(Analyzer analyzer, String label, Double quantile, Column column) {}

  private SparkCheckMetrics() {}

  /** The numbers of {@code analyzers}, each as a Spark aggregate expression. */
  static List<Metric> of(Collection<? extends Analyzer> analyzers) {
    List<Metric> out = new ArrayList<>();
    for (Analyzer a : analyzers) {
      String c = a.column().equals("*") ? null : Identifiers.quote(a.column());
      String label = a.toString();
      if (a instanceof Size) {
        out.add(new Metric(a, label, null, count(lit(1))));
      } else if (a instanceof Completeness) {
        out.add(new Metric(a, label, null, count(Identifiers.column(a.column())).divide(count(lit(1)))));
      } else if (a instanceof Compliance p) {
        out.add(new Metric(a, label, null, sum(when(p.passes(), 1L).otherwise(0L)).divide(count(lit(1)))));
      } else if (a instanceof Mean) {
        out.add(new Metric(a, label, null, expr("avg(CAST(" + c + " AS DOUBLE))")));
      } else if (a instanceof StandardDeviation) {
        out.add(new Metric(a, label, null, expr("stddev_pop(CAST(" + c + " AS DOUBLE))")));
      } else if (a instanceof MaxTime) {
        out.add(new Metric(a, label, null, expr("max(unix_micros(CAST(" + c + " AS TIMESTAMP)))")));
      } else if (a instanceof SketchAnalyzer s && s.name().equals(SketchAnalyzer.QUANTILES)) {
        for (double q : QUANTILES) {
          out.add(new Metric(a, label + " q" + q, q, expr("kll_sketch_get_quantile_double(kll_sketch_agg_double(CAST(" + c
              + " AS DOUBLE), " + KllState.K + "), " + q + ")")));
        }
      } else if (a instanceof SketchAnalyzer s && s.name().equals(SketchAnalyzer.DISTINCT)) {
        out.add(new Metric(a, label, null, expr("hll_sketch_estimate(hll_sketch_agg(" + c + ", " + HllState.LG_K + "))")));
      } else {
        throw new IllegalArgumentException("no Spark aggregate for " + a + " in this benchmark");
      }
    }
    return out;
  }

  /** Computes {@code metrics} over {@code data} in one {@code agg}: one Spark job. */
  static Map<Metric, Double> compute(Dataset<Row> data, List<Metric> metrics) {
    Map<Metric, Double> values = new LinkedHashMap<>();
    if (metrics.isEmpty()) {
      return values;
    }
    Column[] columns = metrics.stream().map(Metric::column).toArray(Column[]::new);
    Row row = data.agg(columns[0], java.util.Arrays.copyOfRange(columns, 1, columns.length)).first();
    for (int i = 0; i < metrics.size(); i++) {
      values.put(metrics.get(i), row.isNullAt(i) ? Double.NaN : ((Number) row.get(i)).doubleValue());
    }
    return values;
  }

  /** Ours against a baseline's numbers, within {@link #TOLERANCE}. */
  static OutputComparison compare(AnalysisResult ours, Map<Metric, Double> baseline) {
    OutputComparison out = OutputComparison.within(TOLERANCE);
    baseline.forEach((m, theirs) -> {
      Outcome o = ours.outcome(m.analyzer());
      if (o == null || o.failed()) {
        out.check(m.label() + ": ours has no value (" + (o == null ? "not computed" : o.failure()) + ")", false);
      } else if (m.quantile() != null) {
        double rank = ((KllState) o.state()).rank(theirs);
        out.check(m.label() + ": the baseline's quantile " + theirs + " has rank " + rank + " in ours",
            Math.abs(rank - m.quantile()) <= RANK);
      } else if (o.state() instanceof HllState h) {
        out.close(m.label(), h.estimate(), theirs, DISTINCT);
      } else {
        out.close(m.label(), o.value(), theirs, EXACT);
      }
    });
    return out;
  }
}
