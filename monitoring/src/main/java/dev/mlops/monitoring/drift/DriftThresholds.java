package dev.mlops.monitoring.drift;

import dev.mlops.monitoring.MonitoringErrors;

/**
 * The thresholds drift verdicts are decided by.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>metric</th><th>DRIFT when</th><th>defaults</th></tr>
 *   <tr><td>PSI</td><td>PSI &ge; alert (WARN when &ge; warn)</td><td>warn 0.1, alert 0.2</td></tr>
 *   <tr><td>KS</td><td>p &lt; alpha and D &ge; min statistic</td><td>alpha 0.05, min 0.1</td></tr>
 *   <tr><td>chi-squared</td><td>p &lt; alpha and Cramér's V &ge; min</td><td>alpha 0.05, min 0.1</td></tr>
 *   <tr><td>Jensen-Shannon</td><td>distance &ge; alert (WARN when &ge; warn)</td>
 *       <td>warn 0.1, alert 0.2 (the distance, base 2, in [0, 1]; Evidently flags drift at 0.1)</td></tr>
 *   <tr><td>dataset ({@link DriftShare})</td><td>share of drifted features &ge; drift share</td><td>0.5</td></tr>
 * </table>
 *
 * <p>The minimum effects keep a test on a large sample from flagging a difference too small to
 * matter. Get the defaults with {@link #defaults()} and change them with the {@code withX} methods.
 * Immutable and thread-safe.
 */
public record DriftThresholds(double psiWarn, double psiAlert, double ksAlpha, double ksMinStatistic,
    double chiSquaredAlpha, double chiSquaredMinCramersV, double jsWarn, double jsAlert, double driftShare) {

  private static final DriftThresholds DEFAULTS =
      new DriftThresholds(0.1, 0.2, 0.05, 0.1, 0.05, 0.1, 0.1, 0.2, 0.5);

  /**
   * Checks every threshold.
   *
   * @throws dev.mlops.core.PlatformException when a level is negative, infinite or NaN, an alpha or
   *     a share is outside its range, or a warn level is above its alert level
   */
  public DriftThresholds {
    level("psi.warn", psiWarn);
    level("psi.alert", psiAlert);
    order("PSI", psiWarn, psiAlert);
    alpha("ks.alpha", ksAlpha);
    share("ks.min_statistic", ksMinStatistic, "a KS statistic is in [0, 1]; the default is 0.1");
    alpha("chi_squared.alpha", chiSquaredAlpha);
    share("chi_squared.min_cramers_v", chiSquaredMinCramersV, "Cramér's V is in [0, 1]; the default is 0.1");
    share("jensen_shannon.warn", jsWarn, "a Jensen-Shannon distance (base 2) is in [0, 1]; the default is 0.1");
    share("jensen_shannon.alert", jsAlert, "a Jensen-Shannon distance (base 2) is in [0, 1]; the default is 0.2");
    order("Jensen-Shannon", jsWarn, jsAlert);
    if (!(driftShare > 0 && driftShare <= 1)) {
      throw MonitoringErrors.invalidThreshold("drift_share", driftShare,
          "a share of features is in (0, 1]; the default is 0.5");
    }
  }

  /** Warn 0.1 and alert 0.2 for PSI, alpha 0.05 and minimum effect 0.1 for the tests, and so on. */
  public static DriftThresholds defaults() {
    return DEFAULTS;
  }

  /** A copy with these PSI levels. */
  public DriftThresholds withPsi(double warn, double alert) {
    return new DriftThresholds(warn, alert, ksAlpha, ksMinStatistic, chiSquaredAlpha, chiSquaredMinCramersV,
        jsWarn, jsAlert, driftShare);
  }

  /** A copy with this KS alpha and minimum statistic D. */
  public DriftThresholds withKs(double alpha, double minStatistic) {
    return new DriftThresholds(psiWarn, psiAlert, alpha, minStatistic, chiSquaredAlpha, chiSquaredMinCramersV,
        jsWarn, jsAlert, driftShare);
  }

  /** A copy with this chi-squared alpha and minimum Cramér's V. */
  public DriftThresholds withChiSquared(double alpha, double minCramersV) {
    return new DriftThresholds(psiWarn, psiAlert, ksAlpha, ksMinStatistic, alpha, minCramersV, jsWarn, jsAlert,
        driftShare);
  }

  /** A copy with these Jensen-Shannon distance levels. */
  public DriftThresholds withJensenShannon(double warn, double alert) {
    return new DriftThresholds(psiWarn, psiAlert, ksAlpha, ksMinStatistic, chiSquaredAlpha, chiSquaredMinCramersV,
        warn, alert, driftShare);
  }

  /** A copy with this share of drifted features above which a dataset drifts. */
  public DriftThresholds withDriftShare(double share) {
    return new DriftThresholds(psiWarn, psiAlert, ksAlpha, ksMinStatistic, chiSquaredAlpha, chiSquaredMinCramersV,
        jsWarn, jsAlert, share);
  }

  private static void level(String name, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw MonitoringErrors.invalidThreshold(name, value, "a level is a finite number >= 0, such as 0.1");
    }
  }

  private static void alpha(String name, double value) {
    if (!(value > 0 && value < 1)) {
      throw MonitoringErrors.invalidThreshold(name, value, "an alpha is a probability in (0, 1), such as 0.05");
    }
  }

  private static void share(String name, double value, String rule) {
    if (!(value >= 0 && value <= 1)) {
      throw MonitoringErrors.invalidThreshold(name, value, rule);
    }
  }

  private static void order(String metric, double warn, double alert) {
    if (warn > alert) {
      throw MonitoringErrors.thresholdOrder(metric, warn, alert);
    }
  }
}
