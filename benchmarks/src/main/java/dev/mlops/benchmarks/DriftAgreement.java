package dev.mlops.benchmarks;

import dev.mlops.monitoring.ColumnDrift;
import dev.mlops.monitoring.drift.DriftDetails;
import dev.mlops.monitoring.drift.DriftResult;
import dev.mlops.monitoring.drift.DriftStatus;
import dev.mlops.monitoring.drift.DriftThresholds;
import dev.mlops.monitoring.drift.KolmogorovSmirnov;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * How the drift benchmark compares two runs' results, metric by metric.
 *
 * <ul>
 *   <li>{@link #identical}: the same statuses, values and p-values within a tolerance (the exact
 *       engine against the baseline fed every value).
 *   <li>{@link #withinTolerance}: the sketch engine against the exact one. A status may differ only
 *       where the exact value is within the sketch's tolerance of a threshold: for PSI of a numeric
 *       column, the sketch's derived error bound ({@code PsiDetails.errorBound}) around the warn
 *       and alert levels; for KS, the sketches' rank-error bound ({@code KsDetails.rankErrorBound})
 *       around the exact D, judged at both ends of that band with the judge's p-value method and
 *       with the asymptotic one (a sketch's p-value is always asymptotic, the exact engine's is exact
 *       up to 10,000 values a side); for chi-squared, Jensen-Shannon and categorical PSI, none (the
 *       frequent-items sketches hold every category of these columns exactly).
 * </ul>
 *
 * Stateless.
 */
final class DriftAgreement {
  private DriftAgreement() {}

  /**
   * What a comparison found.
   *
   * @param mismatches each disagreement, described; none when the runs agree
   * @param allowedDifferences statuses that differ within tolerance
   * @param maxKsDifference the largest |D - D'| seen
   * @param maxKsShareOfBound the largest |D - D'| over the rank-error bound (0 when none)
   * @param maxPsiDifference the largest PSI difference seen
   */
  record Outcome(List<String> mismatches, int allowedDifferences, double maxKsDifference, double maxKsShareOfBound,
      double maxPsiDifference) {
    boolean agree() {
      return mismatches.isEmpty();
    }

    /** Collects an outcome. */
    static final class Builder {
      private final List<String> mismatches = new ArrayList<>();
      private int allowed;
      private double ks;
      private double ksShare;
      private double psi;

      void mismatch(String description) {
        mismatches.add(description);
      }

      void allowed() {
        allowed++;
      }

      /** Records how far {@code a}'s value is from {@code e}'s, and from its bound. */
      void differences(DriftResult e, DriftResult a, double bound) {
        if (Double.isNaN(e.value()) || Double.isNaN(a.value())) {
          return;
        }
        double d = Math.abs(e.value() - a.value());
        if (e.metric().equals("ks")) {
          ks = Math.max(ks, d);
          ksShare = bound > 0 ? Math.max(ksShare, d / bound) : ksShare;
        } else if (e.metric().equals("psi")) {
          psi = Math.max(psi, d);
        }
      }

      Outcome build() {
        return new Outcome(List.copyOf(mismatches), allowed, ks, ksShare, psi);
      }
    }
  }

  /** Statuses equal, values and p-values within {@code tolerance} (or both missing). */
  static Outcome identical(List<ColumnDrift> expected, List<ColumnDrift> actual, double tolerance) {
    Outcome.Builder out = new Outcome.Builder();
    pairs(expected, actual, out, (where, e, a) -> {
      boolean pSame = e.pValue().isPresent() == a.pValue().isPresent()
          && (e.pValue().isEmpty() || close(e.pValue().getAsDouble(), a.pValue().getAsDouble(), tolerance));
      if (e.status() != a.status() || !close(e.value(), a.value(), tolerance) || !pSame) {
        out.mismatch(where + ": " + describe(e) + " vs " + describe(a));
      }
      out.differences(e, a, Double.NaN);
    });
    return out.build();
  }

  /** The sketch's statuses against the exact ones, as the class describes. */
  static Outcome withinTolerance(List<ColumnDrift> exact, List<ColumnDrift> sketch, DriftThresholds thresholds) {
    Outcome.Builder out = new Outcome.Builder();
    pairs(exact, sketch, out, (where, e, s) -> {
      double bound = s.details() instanceof DriftDetails.KsDetails ks ? ks.rankErrorBound()
          : s.details() instanceof DriftDetails.PsiDetails psi ? psi.errorBound() : 0;
      out.differences(e, s, bound);
      if (e.status() == s.status()) {
        return;
      }
      if (nearThreshold(e, bound, thresholds)) {
        out.allowed();
      } else {
        out.mismatch(where + ": exact " + describe(e) + " vs sketch " + describe(s) + ", tolerance " + bound);
      }
    });
    return out.build();
  }

  /** Whether a status could change with the value moved by at most {@code bound}. */
  private static boolean nearThreshold(DriftResult exact, double bound, DriftThresholds thresholds) {
    if (exact.details() instanceof DriftDetails.KsDetails ks) {
      Set<DriftStatus> seen = EnumSet.noneOf(DriftStatus.class);
      for (KolmogorovSmirnov test : List.of(new KolmogorovSmirnov(thresholds),
          new KolmogorovSmirnov(thresholds, KolmogorovSmirnov.Method.ASYMP))) {
        for (double d : new double[] {Math.max(0, exact.value() - bound), Math.min(1, exact.value() + bound)}) {
          seen.add(test.ofStatistic(d, ks.location(), ks.referenceCount(), ks.currentCount()).status());
        }
      }
      return seen.size() > 1;
    }
    return exact.thresholds().entrySet().stream().anyMatch(t -> (t.getKey().equals("warn") || t.getKey().equals("alert"))
        && Math.abs(exact.value() - t.getValue()) <= bound);
  }

  /** A comparison of one result with another, named by where. */
  private interface Check {
    void check(String where, DriftResult expected, DriftResult actual);
  }

  private static void pairs(List<ColumnDrift> expected, List<ColumnDrift> actual, Outcome.Builder out, Check check) {
    if (expected.size() != actual.size()) {
      out.mismatch(expected.size() + " column results vs " + actual.size());
      return;
    }
    for (int i = 0; i < expected.size(); i++) {
      ColumnDrift e = expected.get(i);
      ColumnDrift a = actual.get(i);
      String where = e.partition() + " " + e.column();
      if (!where.equals(a.partition() + " " + a.column()) || e.results().size() != a.results().size()) {
        out.mismatch(where + " vs " + a.partition() + " " + a.column());
        continue;
      }
      for (int j = 0; j < e.results().size(); j++) {
        check.check(where + " " + e.results().get(j).metric(), e.results().get(j), a.results().get(j));
      }
    }
  }

  private static boolean close(double a, double b, double tolerance) {
    return (Double.isNaN(a) && Double.isNaN(b)) || Math.abs(a - b) <= tolerance;
  }

  private static String describe(DriftResult r) {
    return r.status() + " (" + r.value() + (r.pValue().isPresent() ? ", p " + r.pValue().getAsDouble() : "") + ")";
  }
}
