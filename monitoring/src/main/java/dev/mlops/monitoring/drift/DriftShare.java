package dev.mlops.monitoring.drift;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Dataset-level drift: the share of features whose verdict is {@link DriftStatus#DRIFT}, among the
 * features with a verdict (those {@link DriftStatus#INSUFFICIENT} are counted apart, not as
 * undrifted). The dataset drifts when the share reaches the threshold ({@link
 * DriftThresholds#driftShare()}, default 0.5); WARN verdicts do not count as drifted. With no
 * feature to judge, the status is INSUFFICIENT and the share NaN.
 *
 * <p>Get one with {@link #of(Map, DriftThresholds)}, from one result per feature. Immutable and
 * thread-safe.
 *
 * @param features the number of features given
 * @param drifted how many of them drifted
 * @param insufficient how many could not be judged
 * @param share drifted / (features - insufficient)
 * @param threshold the share at which the dataset drifts
 * @param status DRIFT, OK, or INSUFFICIENT when no feature could be judged
 * @param driftedFeatures the names of the drifted features, in the order given
 */
public record DriftShare(int features, int drifted, int insufficient, double share, double threshold,
    DriftStatus status, List<String> driftedFeatures) {

  public DriftShare {
    driftedFeatures = List.copyOf(driftedFeatures);
  }

  /** The share of drifted features among {@code byFeature}'s results (one per feature). */
  public static DriftShare of(Map<String, DriftResult> byFeature, DriftThresholds thresholds) {
    List<String> drifted = new ArrayList<>();
    int insufficient = 0;
    for (Map.Entry<String, DriftResult> e : byFeature.entrySet()) {
      DriftStatus status = e.getValue().status();
      if (status == DriftStatus.DRIFT) {
        drifted.add(e.getKey());
      } else if (status == DriftStatus.INSUFFICIENT) {
        insufficient++;
      }
    }
    int judged = byFeature.size() - insufficient;
    double threshold = thresholds.driftShare();
    if (judged == 0) {
      return new DriftShare(byFeature.size(), 0, insufficient, Double.NaN, threshold, DriftStatus.INSUFFICIENT,
          drifted);
    }
    double share = (double) drifted.size() / judged;
    return new DriftShare(byFeature.size(), drifted.size(), insufficient, share, threshold,
        share >= threshold ? DriftStatus.DRIFT : DriftStatus.OK, drifted);
  }
}
