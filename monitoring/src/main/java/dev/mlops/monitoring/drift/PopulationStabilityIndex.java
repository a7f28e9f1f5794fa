package dev.mlops.monitoring.drift;

import dev.mlops.monitoring.MonitoringErrors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The population stability index: {@code PSI = sum over bins (cur - ref) ln(cur / ref)} of the two
 * sides' shares of each bin.
 *
 * <p><b>Numeric bins</b> are cut at the reference's quantiles: {@code c_i = quantile(i / B)} for
 * i = 1..B-1 (inverted CDF), repeated cut points removed (ties give fewer bins), bins {@code (-inf,
 * c1], (c1, c2], ..., (c_last, +inf)}; each side's shares come from its CDF. <b>Categorical
 * bins</b> are the buckets of {@link CategoricalDriftMetric}.
 *
 * <p><b>Smoothing</b>: a bin empty on one side only gets half a count on that side, a share of
 * {@code 0.5 / n_side} (so it scales with that side's sample, unlike a fixed 0.0001); a bin empty on
 * both sides contributes nothing (for numeric bins only the top one can be: it holds what lies
 * above the reference's top cut). Shares are not renormalized. The edges and both epsilons are in
 * {@link DriftDetails.PsiDetails}.
 *
 * <p><b>Sketches.</b> When a side is a sketch, {@link DriftDetails.PsiDetails#errorBound()} bounds
 * how far the value may be from the PSI of the exact data, derived as follows. Let q_i be the rank
 * of cut i, F the exact CDFs, F^ the sketch's, eps_r and eps_c the two sides' rank errors.
 *
 * <ol>
 *   <li>Reference, at each cut: the exact cut c_i has {@code F_r(c_i)} in [q_i, q_i + 1/n_r) when
 *       the reference has no ties there, and the sketch's cut has {@code F^_r(c^_i) >= q_i}, so
 *       {@code |F^_r(c^_i) - F_r(c_i)| <= d_r,i = max(F^_r(c^_i) - q_i, 0) + 1/n_r} (0 when the
 *       reference is exact: the cuts are then the same).
 *   <li>Current, at each cut: {@code |F^_c(c^_i) - F_c(c_i)| <= eps_c + |F_c(c^_i) - F_c(c_i)|}. The
 *       reference holds at most {@code eps_r + d_r,i} between c_i and c^_i; the current holds about
 *       rho_i times that, rho_i the larger current/reference share ratio of the two bins beside the
 *       cut (the density ratio taken as about constant within a bin). So {@code d_c,i = eps_c +
 *       rho_i (eps_r + d_r,i)}, the second term 0 when the reference is exact.
 *   <li>A bin's share moves by at most the sum of the moves at its two cuts (0 at +-inf).
 *   <li>Each term {@code f(u, r) = (u - r) ln(u / r)} is jointly convex, so over the box of shares
 *       (clipped to [epsilon, 1]) it is largest at a corner and, by the tangent plane, smallest no
 *       lower than {@code f - |df/du| du - |df/dr| dr} (and never below 0). The bound is the sum over
 *       bins of the larger of the two deviations.
 * </ol>
 *
 * It is a worst case (each sketch query at its 99% rank error, every bin at its worst at once), so
 * observed differences are far smaller. It assumes the reference has no ties at the cuts
 * (continuous data), so that the sketch's bins pair with the exact ones. Categorical counts are
 * used as given: the bound is 0 for categorical columns.
 *
 * <p>Get one with {@code new PopulationStabilityIndex()} (10 bins, warn 0.1, alert 0.2) or with
 * thresholds and a bin count. Immutable and thread-safe.
 */
public final class PopulationStabilityIndex implements NumericDriftMetric, CategoricalDriftMetric {
  /** The default number of numeric bins. */
  public static final int DEFAULT_BINS = 10;

  private final DriftThresholds thresholds;
  private final int bins;

  /** PSI over 10 bins with the default thresholds (warn 0.1, alert 0.2). */
  public PopulationStabilityIndex() {
    this(DriftThresholds.defaults(), DEFAULT_BINS);
  }

  /** PSI over 10 bins with these thresholds' PSI levels. */
  public PopulationStabilityIndex(DriftThresholds thresholds) {
    this(thresholds, DEFAULT_BINS);
  }

  /**
   * PSI over {@code bins} numeric bins (at most; ties give fewer) with these thresholds' PSI levels.
   *
   * @throws dev.mlops.core.PlatformException when {@code bins < 2}
   */
  public PopulationStabilityIndex(DriftThresholds thresholds, int bins) {
    if (bins < 2) {
      throw MonitoringErrors.invalidBins(bins);
    }
    this.thresholds = thresholds;
    this.bins = bins;
  }

  @Override
  public String name() {
    return "psi";
  }

  /** The number of numeric bins (at most; ties give fewer). */
  public int bins() {
    return bins;
  }

  @Override
  public String title() {
    return "PSI";
  }

  @Override
  public DriftResult compute(NumericDistribution reference, NumericDistribution current) {
    Map<String, Double> limits = limits();
    return DriftResult.insufficient(name(), reference, current, limits)
        .orElseGet(() -> numeric(reference, current, limits));
  }

  @Override
  public DriftResult compute(CategoricalDistribution reference, CategoricalDistribution current) {
    Map<String, Double> limits = limits();
    return DriftResult.insufficient(name(), reference, current, limits)
        .orElseGet(() -> categorical(CategoryTable.of(reference, current), limits));
  }

  private DriftResult numeric(NumericDistribution reference, NumericDistribution current,
      Map<String, Double> limits) {
    Cuts cuts = cuts(reference);
    double[] edges = cuts.edges();
    double[] ranks = cuts.ranks();
    double[] ref = reference.binShares(edges);
    double[] cur = current.binShares(edges);
    double refEpsilon = 0.5 / reference.count();
    double curEpsilon = 0.5 / current.count();
    double errorBound = reference.rankError() == 0 && current.rankError() == 0 ? 0
        : PsiErrorBound.of(reference, current, edges, ranks, ref, cur, refEpsilon, curEpsilon);
    return result(ref, cur, refEpsilon, curEpsilon, limits, new DriftDetails.PsiDetails(labels(edges), boxed(edges),
        boxed(ref), boxed(cur), refEpsilon, curEpsilon, List.of(), errorBound));
  }

  /**
   * The PSI of bin counts computed elsewhere (over the exact data, by a Spark job): the counts of
   * the bins {@code (-inf, e1], (e1, e2], ..., (e_last, +inf)} of {@code edges} (the reference's
   * quantile cuts, repeats removed), on each side.
   */
  public DriftResult ofBins(double[] edges, long[] referenceCounts, long[] currentCounts) {
    Map<String, Double> limits = limits();
    long nRef = java.util.Arrays.stream(referenceCounts).sum();
    long nCur = java.util.Arrays.stream(currentCounts).sum();
    if (nRef == 0 || nCur == 0) {
      return DriftResult.insufficient(name(), nRef, nCur, limits).orElseThrow();
    }
    double[] ref = java.util.Arrays.stream(referenceCounts).mapToDouble(c -> (double) c / nRef).toArray();
    double[] cur = java.util.Arrays.stream(currentCounts).mapToDouble(c -> (double) c / nCur).toArray();
    double refEpsilon = 0.5 / nRef;
    double curEpsilon = 0.5 / nCur;
    return result(ref, cur, refEpsilon, curEpsilon, limits, new DriftDetails.PsiDetails(labels(edges), boxed(edges),
        boxed(ref), boxed(cur), refEpsilon, curEpsilon, List.of(), 0));
  }

  /** The reference's quantile cuts for this metric's bins: {@code reference.quantile(i / bins)}, repeats removed. */
  public double[] edges(NumericDistribution reference) {
    return cuts(reference).edges();
  }

  private DriftResult categorical(CategoryTable table, Map<String, Double> limits) {
    double[] ref = shares(table.reference());
    double[] cur = shares(table.current());
    double refEpsilon = 0.5 / Arrays.stream(table.reference()).sum();
    double curEpsilon = 0.5 / Arrays.stream(table.current()).sum();
    List<String> labels = table.buckets().stream().map(Bucket::label).toList();
    return result(ref, cur, refEpsilon, curEpsilon, limits, new DriftDetails.PsiDetails(labels, List.of(),
        boxed(ref), boxed(cur), refEpsilon, curEpsilon, table.dropped(), 0));
  }

  /** The cut points and their ranks. */
  private record Cuts(double[] edges, double[] ranks) {}

  private Cuts cuts(NumericDistribution reference) {
    double[] ranks = new double[bins - 1];
    double[] edges = new double[bins - 1];
    int distinct = 0;
    for (int i = 1; i < bins; i++) {
      double cut = reference.quantile((double) i / bins);
      if (distinct == 0 || cut != edges[distinct - 1]) {
        ranks[distinct] = (double) i / bins;
        edges[distinct++] = cut;
      }
    }
    return new Cuts(Arrays.copyOf(edges, distinct), Arrays.copyOf(ranks, distinct));
  }

  private static List<String> labels(double[] edges) {
    List<String> labels = new ArrayList<>();
    for (int j = 0; j <= edges.length; j++) {
      labels.add("(" + (j == 0 ? "-inf" : edges[j - 1]) + ", " + (j == edges.length ? "+inf)" : edges[j] + "]"));
    }
    return labels;
  }

  /** The PSI of these shares, smoothed as the class describes. */
  private static double psi(double[] ref, double[] cur, double refEpsilon, double curEpsilon) {
    double sum = 0;
    for (int j = 0; j < ref.length; j++) {
      sum += term(ref[j], cur[j], refEpsilon, curEpsilon);
    }
    return sum;
  }

  /** One bin's term: 0 when empty on both sides, else with an empty side's share smoothed. */
  static double term(double ref, double cur, double refEpsilon, double curEpsilon) {
    if (ref == 0 && cur == 0) {
      return 0;
    }
    double r = ref > 0 ? ref : refEpsilon;
    double c = cur > 0 ? cur : curEpsilon;
    return (c - r) * Math.log(c / r);
  }

  private DriftResult result(double[] ref, double[] cur, double refEpsilon, double curEpsilon,
      Map<String, Double> limits, DriftDetails details) {
    double value = psi(ref, cur, refEpsilon, curEpsilon);
    return new DriftResult(name(), DriftStatus.ofLevel(value, thresholds.psiWarn(), thresholds.psiAlert()), value,
        OptionalDouble.empty(), OptionalDouble.empty(), limits, details);
  }

  private Map<String, Double> limits() {
    Map<String, Double> limits = new LinkedHashMap<>();
    limits.put("warn", thresholds.psiWarn());
    limits.put("alert", thresholds.psiAlert());
    return limits;
  }

  private static double[] shares(double[] counts) {
    double total = Arrays.stream(counts).sum();
    return Arrays.stream(counts).map(c -> c / total).toArray();
  }

  private static List<Double> boxed(double[] values) {
    return Arrays.stream(values).boxed().toList();
  }
}
