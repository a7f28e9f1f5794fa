package dev.mlops.monitoring.drift;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.DoubleStream;

/**
 * The two-sample Kolmogorov-Smirnov test, two-sided, as {@code scipy.stats.ks_2samp}: the
 * statistic {@code D = max |F_ref(x) - F_cur(x)|} over the union of both sides' split points (exact
 * for exact data), and its p-value by one of scipy's two methods.
 *
 * <ul>
 *   <li>{@link Method#EXACT}: the exact distribution of the two-sample statistic under the null
 *       ({@link KsExact}); D is first rounded to a multiple of 1 / lcm(m, n), as scipy does. When
 *       lcm(m, n) is 2^31 or more, or the computation fails, the asymptotic method is used instead,
 *       as in scipy; also (unlike scipy, which would run for minutes) when the lattice-path
 *       recursion of unequal sizes would take more than about 2e9 steps (2 D m n).
 *   <li>{@link Method#ASYMP}: {@code kstwo.sf(D, round(m n / (m + n)))}, the exact distribution of
 *       the one-sample statistic (Simard and L'Ecuyer; {@link Kolmogorov}). For one value against
 *       one, {@code round(0.5)} is 0 and scipy's p-value is NaN; here it is 1 (the only possible
 *       outcome of one value against one).
 *   <li>{@link Method#AUTO}: exact when {@code max(m, n) <= 10000}, as scipy's {@code auto}, else
 *       asymptotic.
 * </ul>
 *
 * When a side is a sketch that dropped values ({@link NumericDistribution#rankError()} &gt; 0) the
 * statistic is approximate and the asymptotic method is used whatever was asked, with m and n the
 * sketches' counts. {@link DriftDetails.KsDetails#rankErrorBound()} is then the sum of the two
 * rank errors: each CDF is within its rank error of the exact one (for a single rank, at 99%
 * confidence), so D is within their sum of the exact statistic.
 *
 * <p>DRIFT when {@code p < alpha} and {@code D >= min statistic} (defaults 0.05 and 0.1). The test
 * is numeric only: it is not a {@link CategoricalDriftMetric}.
 *
 * <p>Get one with {@code new KolmogorovSmirnov()} (AUTO, default thresholds) or with thresholds and
 * a method. Immutable and thread-safe.
 */
public final class KolmogorovSmirnov implements NumericDriftMetric {
  /** Up to this sample size, AUTO computes the exact p-value (scipy's MAX_AUTO_N). */
  public static final int MAX_AUTO_EXACT = 10_000;

  /** How the p-value is computed. */
  public enum Method {
    /** Exact up to {@value #MAX_AUTO_EXACT} values a side, asymptotic beyond. */
    AUTO,
    /** The exact distribution of the two-sample statistic. */
    EXACT,
    /** The one-sample Kolmogorov distribution with n = round(m n / (m + n)). */
    ASYMP
  }

  private final DriftThresholds thresholds;
  private final Method method;

  /** KS with the AUTO method and the default thresholds (alpha 0.05, minimum D 0.1). */
  public KolmogorovSmirnov() {
    this(DriftThresholds.defaults(), Method.AUTO);
  }

  /** KS with the AUTO method and these thresholds' KS alpha and minimum statistic. */
  public KolmogorovSmirnov(DriftThresholds thresholds) {
    this(thresholds, Method.AUTO);
  }

  /** KS with this method and these thresholds' KS alpha and minimum statistic. */
  public KolmogorovSmirnov(DriftThresholds thresholds, Method method) {
    this.thresholds = thresholds;
    this.method = method;
  }

  @Override
  public String name() {
    return "ks";
  }

  @Override
  public String title() {
    return "KS";
  }

  @Override
  public DriftResult compute(NumericDistribution reference, NumericDistribution current) {
    Map<String, Double> limits = new LinkedHashMap<>();
    limits.put("alpha", thresholds.ksAlpha());
    limits.put("minStatistic", thresholds.ksMinStatistic());
    return DriftResult.insufficient(name(), reference, current, limits)
        .orElseGet(() -> test(reference, current, limits));
  }

  /**
   * The test for a statistic computed elsewhere (over the exact data, by a Spark job): {@code D}
   * between a reference of {@code m} values and current data of {@code n}, largest at
   * {@code location}.
   */
  public DriftResult ofStatistic(double statistic, double location, long m, long n) {
    Map<String, Double> limits = new LinkedHashMap<>();
    limits.put("alpha", thresholds.ksAlpha());
    limits.put("minStatistic", thresholds.ksMinStatistic());
    if (m == 0 || n == 0) {
      return DriftResult.insufficient(name(), m, n, limits).orElseThrow();
    }
    return judged(new Gap(statistic, location), m, n, 0, limits);
  }

  private DriftResult test(NumericDistribution reference, NumericDistribution current, Map<String, Double> limits) {
    return judged(Gap.of(reference, current), reference.count(), current.count(),
        reference.rankError() + current.rankError(), limits);
  }

  private DriftResult judged(Gap gap, long m, long n, double rankErrorBound, Map<String, Double> limits) {
    Choice choice = choose(m, n, gap.statistic(), rankErrorBound > 0);
    double statistic = gap.statistic();
    double pValue = Double.NaN;
    if (choice.method() == Method.EXACT) {
      KsExact.Outcome exact = KsExact.pValue(m, n, statistic);
      if (exact.pValue().isPresent()) {
        statistic = exact.statistic();
        pValue = exact.pValue().getAsDouble();
      } else {
        choice = new Choice(Method.ASYMP, "the exact computation left [0, 1]: asymptotic p-value");
      }
    }
    long effectiveN = 0;
    if (choice.method() == Method.ASYMP) {
      effectiveN = (long) Math.rint((double) m * n / ((double) m + n));
      pValue = effectiveN == 0 ? 1.0 : Kolmogorov.sf(effectiveN, statistic);
    }
    pValue = Math.max(0, Math.min(1, pValue));
    DriftStatus status = DriftStatus.ofTest(pValue, thresholds.ksAlpha(), statistic, thresholds.ksMinStatistic());
    return new DriftResult(name(), status, statistic, OptionalDouble.of(pValue), OptionalDouble.of(statistic), limits,
        new DriftDetails.KsDetails(method, choice.method(), m, n, gap.location(), effectiveN, rankErrorBound,
            choice.note()));
  }

  /** The method that gives the p-value, and why it is not the one asked for (or ""). */
  private record Choice(Method method, String note) {}

  private Choice choose(long m, long n, double statistic, boolean sketched) {
    if (sketched) {
      return new Choice(Method.ASYMP, method != Method.EXACT ? ""
          : "a side is a sketch that dropped values: its statistic is approximate, so the asymptotic p-value");
    }
    if (method == Method.AUTO) {
      return new Choice(Math.max(m, n) <= MAX_AUTO_EXACT ? Method.EXACT : Method.ASYMP, "");
    }
    if (method == Method.EXACT && !KsExact.latticeFits(m, n)) {
      return new Choice(Method.ASYMP, "lcm(m, n) is too large for the exact distribution: asymptotic p-value");
    }
    if (method == Method.EXACT && !KsExact.quick(m, n, statistic)) {
      return new Choice(Method.ASYMP,
          "the exact distribution would take about 2 D m n > 2e9 steps: asymptotic p-value");
    }
    return new Choice(method, "");
  }

  /** The largest distance between the two CDFs, over both sides' split points, and where it is. */
  private record Gap(double statistic, double location) {
    static Gap of(NumericDistribution reference, NumericDistribution current) {
      double[] points = DoubleStream.concat(Arrays.stream(reference.splitPoints()),
          Arrays.stream(current.splitPoints())).sorted().toArray();
      double statistic = 0;
      double location = points[0];
      for (double x : points) {
        double difference = Math.abs(reference.cdf(x) - current.cdf(x));
        if (difference > statistic) {
          statistic = difference;
          location = x;
        }
      }
      return new Gap(statistic, location);
    }
  }
}
