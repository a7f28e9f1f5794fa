package dev.mlops.monitoring.report;

import dev.mlops.monitoring.ColumnDrift;
import dev.mlops.monitoring.drift.Bucket;
import dev.mlops.monitoring.drift.DriftDetails;
import dev.mlops.monitoring.drift.DriftResult;
import dev.mlops.monitoring.drift.DriftStatus;
import dev.mlops.monitoring.drift.KolmogorovSmirnov;
import dev.mlops.validation.profiles.PartitionProfiler.Kind;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Hand-made drift results of one column in one partition, with the status asked for and details
 * shaped as the metrics make them.
 */
final class Cells {
  static final long REFERENCE_ROWS = 10_000;
  static final long CURRENT_ROWS = 1_000;
  private static final Map<String, Double> PSI_LEVELS = Map.of("warn", 0.1, "alert", 0.2);

  private Cells() {}

  /** A numeric column: PSI over four bins and KS, both at {@code status}. */
  static ColumnDrift numeric(String column, String partition, DriftStatus status) {
    if (status == DriftStatus.INSUFFICIENT) {
      return new ColumnDrift(column, Kind.NUMERIC, partition, REFERENCE_ROWS, 0,
          List.of(insufficient("psi"), insufficient("ks")));
    }
    List<Double> current = status == DriftStatus.OK ? List.of(0.26, 0.24, 0.25, 0.25)
        : status == DriftStatus.WARN ? List.of(0.18, 0.24, 0.26, 0.32) : List.of(0.05, 0.15, 0.30, 0.50);
    DriftDetails psi = new DriftDetails.PsiDetails(List.of("(-inf, 10.0]", "(10.0, 20.0]", "(20.0, 50.0]",
        "(50.0, +inf)"), List.of(10.0, 20.0, 50.0), List.of(0.25, 0.25, 0.25, 0.25), current, 5e-5, 5e-4, List.of(), 0);
    DriftDetails ks = new DriftDetails.KsDetails(KolmogorovSmirnov.Method.AUTO, KolmogorovSmirnov.Method.ASYMP,
        REFERENCE_ROWS, CURRENT_ROWS, 20.0, 909, 0, "");
    double d = status == DriftStatus.DRIFT ? 0.3 : 0.02;
    return new ColumnDrift(column, Kind.NUMERIC, partition, REFERENCE_ROWS, CURRENT_ROWS, List.of(
        new DriftResult("psi", status, psiValue(status), OptionalDouble.empty(), OptionalDouble.empty(), PSI_LEVELS, psi),
        new DriftResult("ks", status == DriftStatus.DRIFT ? DriftStatus.DRIFT : DriftStatus.OK, d,
            OptionalDouble.of(status == DriftStatus.DRIFT ? 1e-12 : 0.4), OptionalDouble.of(d),
            Map.of("alpha", 0.05, "minStatistic", 0.1), ks)));
  }

  /** A categorical column over {@code buckets}: chi-squared, PSI and Jensen-Shannon at {@code status}. */
  static ColumnDrift categorical(String column, String partition, DriftStatus status, Bucket... buckets) {
    if (status == DriftStatus.INSUFFICIENT) {
      return new ColumnDrift(column, Kind.CATEGORICAL, partition, REFERENCE_ROWS, 0,
          List.of(insufficient("chi_squared"), insufficient("psi"), insufficient("jensen_shannon")));
    }
    List<Bucket> list = List.of(buckets);
    double ref = list.stream().mapToLong(Bucket::reference).sum();
    double cur = list.stream().mapToLong(Bucket::current).sum();
    DriftDetails psi = new DriftDetails.PsiDetails(list.stream().map(Bucket::label).toList(), List.of(),
        list.stream().map(b -> b.reference() / ref).toList(), list.stream().map(b -> b.current() / cur).toList(),
        0.5 / ref, 0.5 / cur, List.of(), 0);
    return new ColumnDrift(column, Kind.CATEGORICAL, partition, (long) ref, (long) cur, List.of(
        new DriftResult("chi_squared", status == DriftStatus.DRIFT ? DriftStatus.DRIFT : DriftStatus.OK, 250.0,
            OptionalDouble.of(status == DriftStatus.DRIFT ? 1e-9 : 0.3), OptionalDouble.of(0.2),
            Map.of("alpha", 0.05, "minCramersV", 0.1),
            new DriftDetails.ChiSquaredDetails(list, List.of(), list.size() - 1, false, 250.0)),
        new DriftResult("psi", status, psiValue(status), OptionalDouble.empty(), OptionalDouble.empty(), PSI_LEVELS, psi),
        new DriftResult("jensen_shannon", status, psiValue(status) / 2, OptionalDouble.empty(), OptionalDouble.empty(),
            Map.of("warn", 0.05, "alert", 0.1), new DriftDetails.JensenShannonDetails(list, List.of()))));
  }

  /** A bucket of a reference category. */
  static Bucket category(String label, long reference, long current) {
    return new Bucket(label, Bucket.Kind.CATEGORY, reference, current);
  }

  /** The bucket of current categories the reference does not have. */
  static Bucket unseen(long current) {
    return new Bucket(Bucket.UNSEEN, Bucket.Kind.UNSEEN, 0, current);
  }

  /** The bucket of rows a sketch did not keep. */
  static Bucket other(long reference, long current) {
    return new Bucket(Bucket.OTHER, Bucket.Kind.OTHER, reference, current);
  }

  private static double psiValue(DriftStatus status) {
    return switch (status) {
      case OK -> 0.03;
      case WARN -> 0.15;
      default -> 0.42;
    };
  }

  private static DriftResult insufficient(String metric) {
    return new DriftResult(metric, DriftStatus.INSUFFICIENT, Double.NaN, OptionalDouble.empty(), OptionalDouble.empty(),
        Map.of(), new DriftDetails.InsufficientData("the current data has no values"));
  }
}
