package dev.mlops.training.gate;

import dev.mlops.training.evaluation.BinaryMetrics;
import dev.mlops.training.evaluation.Evaluation;
import dev.mlops.training.evaluation.SliceMetrics;
import dev.mlops.training.spec.ModelSpec.GateSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A spec's gate: minimum metrics on the test split, then champion/challenger against the
 * Production version evaluated on the same test rows in the same run: the new version must beat
 * it by the margin on the champion metric and lose no more than the allowed amount on any slice
 * value with enough rows. Undefined figures (no positives in a slice) are reported and not
 * gated. Thread-safe (stateless).
 */
public final class Gate {
  private final GateSpec spec;
  private final String championMetric;

  /**
   * @param selectionMetric the metric compared with the champion when the gate names none
   */
  public Gate(GateSpec spec, String selectionMetric) {
    this.spec = spec;
    this.championMetric = spec.championMetric() != null ? spec.championMetric() : selectionMetric;
  }

  /**
   * The verdict on {@code challenger}.
   *
   * @param champion the Production version and its evaluation on the same rows, if there is one
   */
  public GateVerdict judge(Evaluation challenger, Optional<Champion> champion) {
    List<GateCheck> checks = new ArrayList<>();
    BinaryMetrics ours = challenger.overall();
    for (Map.Entry<String, Double> min : new TreeMap<>(spec.min()).entrySet()) {
      String metric = min.getKey();
      double observed = ours.metric(metric);
      boolean higher = BinaryMetrics.higherIsBetter(metric);
      boolean ok = !Double.isNaN(observed) && (higher ? observed >= min.getValue() : observed <= min.getValue());
      checks.add(new GateCheck("min " + metric, ok, observed, min.getValue(), String.format("%s %s %s %s", metric,
          fmt(observed), ok ? (higher ? ">=" : "<=") : (higher ? "<" : ">"), fmt(min.getValue()))
          + (ok ? "" : " (" + (higher ? "minimum" : "maximum") + " " + fmt(min.getValue()) + ")")));
    }
    if (champion.isEmpty()) {
      return new GateVerdict(checks.stream().allMatch(GateCheck::passed), checks, null, Map.of());
    }
    String name = champion.get().id();
    Evaluation theirs = champion.get().evaluation();
    boolean higher = BinaryMetrics.higherIsBetter(championMetric);
    double o = ours.metric(championMetric);
    double t = theirs.overall().metric(championMetric);
    double required = higher ? t + spec.championMargin() : t - spec.championMargin();
    boolean beats = !Double.isNaN(o) && !Double.isNaN(t) && (higher ? o >= required : o <= required);
    checks.add(new GateCheck("champion " + championMetric, beats, o, required, String.format(
        "%s %s vs Production %s %s on the same test rows (margin %s): %s", championMetric, fmt(o), name, fmt(t),
        fmt(spec.championMargin()), beats ? "beats it" : "does not beat it")));
    for (SliceMetrics s : challenger.slices()) {
      Optional<SliceMetrics> their = theirs.slice(s.column(), s.value());
      if (their.isEmpty() || s.metrics().rows() < spec.minSliceRows()) {
        continue;
      }
      double so = s.metrics().metric(championMetric);
      double st = their.get().metrics().metric(championMetric);
      if (Double.isNaN(so) || Double.isNaN(st)) {
        checks.add(new GateCheck("slice " + s.column() + "=" + s.value() + " " + championMetric, true, so, st, String.format(
            "slice %s=%s: %s undefined for %s (no positives or no negatives there); not gated", s.column(), s.value(),
            championMetric, Double.isNaN(so) ? "the challenger" : "Production " + name)));
        continue;
      }
      double loss = higher ? st - so : so - st;
      boolean ok = loss <= spec.maxSliceLoss();
      checks.add(new GateCheck("slice " + s.column() + "=" + s.value() + " " + championMetric, ok, so,
          higher ? st - spec.maxSliceLoss() : st + spec.maxSliceLoss(), String.format(
          "slice %s=%s: %s %s vs Production %s %s (%s %s, allowed loss %s)", s.column(), s.value(), championMetric, fmt(so),
          name, fmt(st), loss > 0 ? "loss" : "gain", fmt(Math.abs(loss)), fmt(spec.maxSliceLoss()))));
    }
    return new GateVerdict(checks.stream().allMatch(GateCheck::passed), checks, champion.get().version(),
        theirs.overall().asMap());
  }

  private static String fmt(double d) {
    return Double.isNaN(d) ? "undefined" : String.format(java.util.Locale.ROOT, "%.4f", d);
  }
}
