package dev.mlops.scoring;

/**
 * How a shadow version's scores compare with Production's on the same rows.
 *
 * @param date the day
 * @param productionVersion the Production version
 * @param shadowVersion the shadow (Staging) version
 * @param rows rows both scored
 * @param agreementRate share of rows given the same predicted label
 * @param scoreCorrelation Pearson correlation of the two scores (NaN when either is constant)
 * @param productionPositiveRate share predicted positive by Production
 * @param shadowPositiveRate share predicted positive by the shadow
 */
public record ShadowComparison(java.time.LocalDate date, int productionVersion, int shadowVersion, long rows, double agreementRate,
    double scoreCorrelation, double productionPositiveRate, double shadowPositiveRate) {
  /** Shadow's positive rate minus Production's. */
  public double positiveRateDifference() {
    return shadowPositiveRate - productionPositiveRate;
  }
}
