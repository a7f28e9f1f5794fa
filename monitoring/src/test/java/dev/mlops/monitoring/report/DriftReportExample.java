package dev.mlops.monitoring.report;

import dev.mlops.monitoring.ColumnDrift;
import dev.mlops.monitoring.DriftJudge;
import dev.mlops.monitoring.DriftReport;
import dev.mlops.monitoring.drift.DriftThresholds;
import dev.mlops.monitoring.drift.ExactCategorical;
import dev.mlops.monitoring.drift.ExactNumeric;
import dev.mlops.monitoring.performance.PerformancePoint;
import dev.mlops.monitoring.performance.PerformanceStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;

/**
 * A realistic drift run, for the screenshot in {@code docs/drift-report.png}: the fraud model's 12
 * features and score over 10 days, measured by the real metrics on seeded random data. From day 7 a
 * new merchant category, {@code crypto_exchange}, brings large amounts: {@code amount} and {@code
 * merchant_category} drift that day, {@code avg_amount_7d} (a 7-day mean) a day later, and so does
 * the score; {@code channel} creeps toward the app, too little to warn (with the default
 * thresholds, chi-squared's Cramér's V reaches 0.1 about where PSI reaches 0.1, so a categorical
 * column rarely warns before it drifts); {@code distance_from_home_km} was
 * lost by the feed on day 4. The dataset threshold is a quarter of the features, as a team watching
 * 12 features would set it. Labels arrive late: the last three days are pending.
 */
final class DriftReportExample {
  static final List<String> DAYS = ReportBuilder.days("2026-11-01", 10);
  /** Day 7, as an index. */
  static final int DRIFT_DAY = 6;
  private static final DriftJudge JUDGE = new DriftJudge(DriftThresholds.defaults().withDriftShare(0.25), 10);
  private static final int REFERENCE_ROWS = 20_000;
  private static final int ROWS_PER_DAY = 4_000;
  private static final int REFERENCE = -1;
  private static final List<String> MERCHANTS = List.of("grocery", "restaurant", "fuel", "fashion", "electronics",
      "travel", "entertainment", "health");
  private static final List<String> COUNTRIES = List.of("DE", "FR", "NL", "BE", "ES", "IT", "AT", "PL", "SE", "other");

  private DriftReportExample() {}

  /** A value of a column on a day (0-based; {@value #REFERENCE} for the reference), NaN for a null. */
  interface Numeric {
    double next(Random r, int day);
  }

  /** A category of a column on a day (0-based; {@value #REFERENCE} for the reference). */
  interface Categorical {
    String next(Random r, int day);
  }

  static DriftReport report() {
    return ReportBuilder.subject("model fraud").model("fraud").partitions(DAYS).thresholds(JUDGE.thresholds())
        .column("amount", numeric((r, d) -> crypto(r, d) ? 400 + 900 * r.nextDouble()
            : Math.exp(3.4 + 0.9 * r.nextGaussian())))
        .column("merchant_category", categorical((r, d) -> crypto(r, d) ? "crypto_exchange" : pick(r, MERCHANTS)))
        .column("avg_amount_7d", numeric((r, d) -> Math.exp(3.6 + 0.5 * r.nextGaussian())
            * (d >= DRIFT_DAY + 1 ? 1.6 : 1)))
        .column("channel", categorical((r, d) -> r.nextDouble() < 0.35 + (d >= 7 ? 0.09 : 0) ? "app"
            : r.nextBoolean() ? "web" : "pos"))
        .column("hour_of_day", numeric((r, d) -> Math.floorMod((int) Math.round(14 + 5 * r.nextGaussian()), 24)))
        .column("customer_age", numeric((r, d) -> 18 + Math.abs(24 + 13 * r.nextGaussian())))
        .column("account_age_days", numeric((r, d) -> -900 * Math.log(1 - r.nextDouble())))
        .column("txn_count_24h", numeric((r, d) -> poisson(r, 3.2)))
        .column("distance_from_home_km", numeric((r, d) -> d == 3 ? Double.NaN : Math.exp(2 + 1.1 * r.nextGaussian())))
        .column("device_type", categorical((r, d) -> pick(r, List.of("ios", "ios", "android", "android", "desktop"))))
        .column("country", categorical((r, d) -> pick(r, COUNTRIES)))
        .column("card_present", categorical((r, d) -> r.nextDouble() < 0.42 ? "true" : "false"))
        .column("score", numeric((r, d) -> {
          double base = 1 / (1 + Math.exp(-(-3.2 + 1.1 * r.nextGaussian())));
          return d >= DRIFT_DAY + 1 && r.nextDouble() < 0.2 ? 0.55 + 0.4 * r.nextDouble() : base;
        }))
        .build();
  }

  /** The model's AUC per day: degraded on day 7, the last three pending. */
  static List<PerformancePoint> performance() {
    double[] coverage = {0.99, 0.98, 0.97, 0.96, 0.94, 0.91, 0.83, 0.46, 0.21, 0.06};
    double[] auc = {0.912, 0.915, 0.909, 0.913, 0.911, 0.907, 0.861, 0.874, 0.902, Double.NaN};
    List<PerformancePoint> points = new ArrayList<>();
    for (int i = 0; i < DAYS.size(); i++) {
      PerformanceStatus status = i >= 7 ? PerformanceStatus.PENDING
          : i == DRIFT_DAY ? PerformanceStatus.DEGRADED : PerformanceStatus.OK;
      points.add(new PerformancePoint(DAYS.get(i), coverage[i], "auc", auc[i], status));
    }
    return points;
  }

  private static BiFunction<String, String, ColumnDrift> numeric(Numeric values) {
    return (column, partition) -> JUDGE.numeric(column, partition, numbers(column, REFERENCE, REFERENCE_ROWS, values),
        numbers(column, DAYS.indexOf(partition), ROWS_PER_DAY, values));
  }

  private static BiFunction<String, String, ColumnDrift> categorical(Categorical values) {
    return (column, partition) -> JUDGE.categorical(column, partition,
        categories(column, REFERENCE, REFERENCE_ROWS, values), categories(column, DAYS.indexOf(partition), ROWS_PER_DAY,
            values));
  }

  private static ExactNumeric numbers(String column, int day, int rows, Numeric values) {
    Random r = new Random(column.hashCode() * 31L + day);
    double[] out = new double[rows];
    for (int i = 0; i < rows; i++) {
      out[i] = values.next(r, day);
    }
    return ExactNumeric.of(out);
  }

  private static ExactCategorical categories(String column, int day, int rows, Categorical values) {
    Random r = new Random(column.hashCode() * 31L + day);
    List<String> out = new ArrayList<>(rows);
    for (int i = 0; i < rows; i++) {
      out.add(values.next(r, day));
    }
    return ExactCategorical.ofValues(out);
  }

  /** Whether a transaction of {@code day} goes to the new crypto exchanges: 18% of them from day 7. */
  private static boolean crypto(Random r, int day) {
    return day >= DRIFT_DAY && r.nextDouble() < 0.18;
  }

  private static String pick(Random r, List<String> values) {
    return values.get(r.nextInt(values.size()));
  }

  private static double poisson(Random r, double mean) {
    double limit = Math.exp(-mean);
    double p = r.nextDouble();
    int k = 0;
    while (p > limit) {
      p *= r.nextDouble();
      k++;
    }
    return k;
  }
}
