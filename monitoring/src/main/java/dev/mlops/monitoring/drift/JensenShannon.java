package dev.mlops.monitoring.drift;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The Jensen-Shannon distance between the two sides' shares of the buckets of {@link
 * CategoricalDriftMetric}, with base-2 logarithms, so in [0, 1], as {@code
 * scipy.spatial.distance.jensenshannon(p, q, base=2)}: with {@code m = (p + q) / 2}, {@code
 * sqrt((KL(p || m) + KL(q || m)) / 2)}. Unlike KL or PSI it needs no smoothing: a bucket empty on
 * one side contributes a finite amount.
 *
 * <p>Thresholds are levels (defaults warn 0.05, alert 0.1). Get one with {@code new
 * JensenShannon()} or with thresholds. Immutable and thread-safe.
 */
public final class JensenShannon implements CategoricalDriftMetric {
  private static final double LN2 = Math.log(2);

  private final DriftThresholds thresholds;

  /** Jensen-Shannon with the default levels (warn 0.05, alert 0.1). */
  public JensenShannon() {
    this(DriftThresholds.defaults());
  }

  /** Jensen-Shannon with these thresholds' Jensen-Shannon levels. */
  public JensenShannon(DriftThresholds thresholds) {
    this.thresholds = thresholds;
  }

  @Override
  public String name() {
    return "jensen_shannon";
  }

  @Override
  public String title() {
    return "Jensen-Shannon";
  }

  @Override
  public DriftResult compute(CategoricalDistribution reference, CategoricalDistribution current) {
    Map<String, Double> limits = new LinkedHashMap<>();
    limits.put("warn", thresholds.jsWarn());
    limits.put("alert", thresholds.jsAlert());
    return DriftResult.insufficient(name(), reference, current, limits)
        .orElseGet(() -> measure(CategoryTable.of(reference, current), limits));
  }

  private DriftResult measure(CategoryTable table, Map<String, Double> limits) {
    double value = distance(table.reference(), table.current());
    return new DriftResult(name(), DriftStatus.ofLevel(value, thresholds.jsWarn(), thresholds.jsAlert()), value,
        OptionalDouble.empty(), OptionalDouble.empty(), limits,
        new DriftDetails.JensenShannonDetails(table.buckets(), table.dropped()));
  }

  /** The base-2 Jensen-Shannon distance of two vectors of counts, each normalized to sum 1. */
  static double distance(double[] p, double[] q) {
    double pTotal = 0;
    double qTotal = 0;
    for (int i = 0; i < p.length; i++) {
      pTotal += p[i];
      qTotal += q[i];
    }
    double left = 0;
    double right = 0;
    for (int i = 0; i < p.length; i++) {
      double pi = p[i] / pTotal;
      double qi = q[i] / qTotal;
      double mi = (pi + qi) / 2.0;
      left += relativeEntropy(pi, mi);
      right += relativeEntropy(qi, mi);
    }
    double js = (left + right) / LN2;
    return Math.sqrt(Math.max(0, js / 2.0)); // rounding can leave a tiny negative sum
  }

  /** scipy.special.rel_entr for x &le; y's support: x ln(x / y), 0 when x is 0. */
  private static double relativeEntropy(double x, double y) {
    return x > 0 ? x * Math.log(x / y) : 0;
  }
}
