package dev.mlops.core.config;

/**
 * Drift monitoring's settings: the engine, PSI's bins and the thresholds. Missing values take
 * the defaults of {@code docs/MONITORING.md}.
 *
 * @param engine {@code sketch} (stored profiles; the default) or {@code exact} (scans the rows)
 * @param psiBins the number of PSI bins of a numeric column, cut at the reference's quantiles (10)
 * @param thresholds the metrics' thresholds
 * @param retraining when alerts trigger the retraining DAG through Airflow's REST API
 */
public record MonitoringConfig(String engine, Integer psiBins, Thresholds thresholds, Retraining retraining) {
  public MonitoringConfig {
    engine = engine == null || engine.isBlank() ? "sketch" : engine.strip();
    if (!engine.equals("sketch") && !engine.equals("exact")) {
      throw new ConfigValueException("engine", "expected sketch or exact, got \"" + engine + "\"");
    }
    psiBins = psiBins == null ? 10 : psiBins;
    if (psiBins < 2) {
      throw new ConfigValueException("psi-bins", "expected at least 2, got " + psiBins);
    }
    thresholds = thresholds == null ? Thresholds.defaults() : thresholds;
    retraining = retraining == null ? Retraining.defaults() : retraining;
  }

  /** The defaults. */
  public static MonitoringConfig defaults() {
    return new MonitoringConfig(null, null, null, null);
  }

  /**
   * Drift thresholds; each missing one takes its default.
   *
   * @param psiWarn PSI's warn level (0.1)
   * @param psiAlert PSI's alert level (0.2)
   * @param ksAlpha KS's significance level (0.05)
   * @param ksMinStatistic the least KS statistic that counts as drift (0.1)
   * @param chiSquaredAlpha chi-squared's significance level (0.05)
   * @param chiSquaredMinCramersV the least Cramér's V that counts as drift (0.1)
   * @param jsWarn Jensen-Shannon distance's warn level (0.1)
   * @param jsAlert Jensen-Shannon distance's alert level (0.2)
   * @param driftShare the share of drifted features at which a partition's dataset drifts (0.5)
   */
  public record Thresholds(Double psiWarn, Double psiAlert, Double ksAlpha, Double ksMinStatistic, Double chiSquaredAlpha,
      Double chiSquaredMinCramersV, Double jsWarn, Double jsAlert, Double driftShare) {
    public Thresholds {
      psiWarn = psiWarn == null ? 0.1 : psiWarn;
      psiAlert = psiAlert == null ? 0.2 : psiAlert;
      ksAlpha = ksAlpha == null ? 0.05 : ksAlpha;
      ksMinStatistic = ksMinStatistic == null ? 0.1 : ksMinStatistic;
      chiSquaredAlpha = chiSquaredAlpha == null ? 0.05 : chiSquaredAlpha;
      chiSquaredMinCramersV = chiSquaredMinCramersV == null ? 0.1 : chiSquaredMinCramersV;
      jsWarn = jsWarn == null ? 0.1 : jsWarn;
      jsAlert = jsAlert == null ? 0.2 : jsAlert;
      driftShare = driftShare == null ? 0.5 : driftShare;
    }

    /** The defaults. */
    public static Thresholds defaults() {
      return new Thresholds(null, null, null, null, null, null, null, null, null);
    }
  }

  /**
   * The retraining policy: which alerts trigger the retraining DAG, and how often per model.
   *
   * @param dag the DAG triggered (default {@code retraining})
   * @param severities the alert severities that trigger it: {@code alert}, {@code warn} (default
   *     {@code [alert]})
   * @param cooldown the least time between two triggers for one model (default {@code 1d}; {@code 0s}
   *     for none)
   */
  public record Retraining(String dag, java.util.List<String> severities, String cooldown) {
    public Retraining {
      dag = dag == null || dag.isBlank() ? "retraining" : dag.strip();
      severities = severities == null ? java.util.List.of("alert") : java.util.List.copyOf(severities);
      for (int i = 0; i < severities.size(); i++) {
        if (!severities.get(i).equals("alert") && !severities.get(i).equals("warn")) {
          throw new ConfigValueException("severities[" + i + "]", "expected alert or warn, got \"" + severities.get(i) + "\"");
        }
      }
      cooldown = cooldown == null || cooldown.isBlank() ? "1d" : cooldown.strip();
      if (!cooldown.matches("0\\s*[smhdw]?") && Durations.parse(cooldown).isEmpty()) {
        throw new ConfigValueException("cooldown", "expected a duration such as 1d, 12h or 0s, got \"" + cooldown + "\"");
      }
    }

    /** The defaults. */
    public static Retraining defaults() {
      return new Retraining(null, null, null);
    }

    /** {@link #cooldown} as a duration; zero for none. */
    public java.time.Duration cooldownDuration() {
      return Durations.parse(cooldown).orElse(java.time.Duration.ZERO);
    }
  }
}
