package dev.mlops.monitoring.drift;

/**
 * The bound on how far a numeric PSI computed from sketches may be from the PSI of the exact data;
 * the derivation is in {@link PopulationStabilityIndex}'s documentation. Stateless.
 */
final class PsiErrorBound {
  private PsiErrorBound() {}

  /**
   * @param edges the distinct cuts, from the reference's quantiles
   * @param ranks the rank q_i of each cut (the first i / B that gave it)
   * @param ref the reference's bin shares (edges.length + 1)
   * @param cur the current bin shares
   */
  static double of(NumericDistribution reference, NumericDistribution current, double[] edges, double[] ranks,
      double[] ref, double[] cur, double refEpsilon, double curEpsilon) {
    double refRankError = reference.rankError();
    double curRankError = current.rankError();
    // How far each side's CDF at each cut may be from the exact CDF at the exact cut.
    double[] refAtCut = new double[edges.length];
    double[] curAtCut = new double[edges.length];
    double cumulative = 0;
    for (int i = 0; i < edges.length; i++) {
      cumulative += ref[i];
      if (refRankError > 0) {
        refAtCut[i] = Math.max(cumulative - ranks[i], 0) + 1.0 / reference.count();
        double ratio = Math.max(smoothed(cur[i], curEpsilon) / smoothed(ref[i], refEpsilon),
            smoothed(cur[i + 1], curEpsilon) / smoothed(ref[i + 1], refEpsilon));
        curAtCut[i] = curRankError + ratio * (refRankError + refAtCut[i]);
      } else {
        curAtCut[i] = curRankError;
      }
    }
    double bound = 0;
    for (int j = 0; j < ref.length; j++) {
      double refMove = (j > 0 ? refAtCut[j - 1] : 0) + (j < edges.length ? refAtCut[j] : 0);
      double curMove = (j > 0 ? curAtCut[j - 1] : 0) + (j < edges.length ? curAtCut[j] : 0);
      bound += binBound(ref[j], cur[j], refMove, curMove, refEpsilon, curEpsilon);
    }
    return bound;
  }

  /**
   * The most one bin's term may move when its shares move by up to {@code refMove} and {@code
   * curMove}: up to its largest value at a corner of the box of shares, down to its tangent-plane
   * bound (or to 0 when the bin may be empty on both sides).
   */
  private static double binBound(double ref, double cur, double refMove, double curMove, double refEpsilon,
      double curEpsilon) {
    double f = PopulationStabilityIndex.term(ref, cur, refEpsilon, curEpsilon);
    double rLow = Math.max(refEpsilon, ref - refMove);
    double rHigh = Math.max(rLow, Math.min(1, ref + refMove));
    double cLow = Math.max(curEpsilon, cur - curMove);
    double cHigh = Math.max(cLow, Math.min(1, cur + curMove));
    double up = 0;
    for (double r : new double[] {rLow, rHigh}) {
      for (double c : new double[] {cLow, cHigh}) {
        up = Math.max(up, (c - r) * Math.log(c / r) - f);
      }
    }
    double down;
    if (ref - refMove <= 0 && cur - curMove <= 0) {
      down = f;
    } else {
      double r = smoothed(ref, refEpsilon);
      double c = smoothed(cur, curEpsilon);
      double dfdc = Math.log(c / r) + 1 - r / c;
      double dfdr = -Math.log(c / r) + 1 - c / r;
      double tangent = Math.abs(dfdc) * Math.max(c - cLow, cHigh - c) + Math.abs(dfdr) * Math.max(r - rLow, rHigh - r);
      down = Math.min(f, tangent);
    }
    return Math.max(up, down);
  }

  private static double smoothed(double share, double epsilon) {
    return share > 0 ? share : epsilon;
  }
}
