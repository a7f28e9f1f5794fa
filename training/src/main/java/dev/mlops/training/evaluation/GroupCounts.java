package dev.mlops.training.evaluation;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * What one group's rows add up to: counts of the confusion matrix at the threshold and exact
 * (decimal) sums of the log loss terms and of the probabilities.
 */
record GroupCounts(long rows, long positives, long truePositives, long falsePositives, BigDecimal logLossSum,
    BigDecimal probabilitySum) {
  static final GroupCounts EMPTY = new GroupCounts(0, 0, 0, 0, BigDecimal.ZERO, BigDecimal.ZERO);

  long negatives() {
    return rows - positives;
  }

  /** The metrics of these counts, with the AUCs computed elsewhere. */
  BinaryMetrics metrics(double rocAuc, double prAuc, double threshold) {
    long predicted = truePositives + falsePositives;
    long falseNegatives = positives - truePositives;
    long trueNegatives = negatives() - falsePositives;
    long f1Denominator = 2 * truePositives + falsePositives + falseNegatives;
    return new BinaryMetrics(rows, positives, rocAuc, prAuc, mean(logLossSum),
        ratio(truePositives, predicted), ratio(truePositives, positives),
        ratio(2 * truePositives, f1Denominator), ratio(truePositives + trueNegatives, rows),
        ratio(predicted, rows), threshold);
  }

  /** These counts as calibration bin {@code bin} of {@code bins} equal-width bins over [0, 1]. */
  CalibrationBin bin(int bin, int bins) {
    return new CalibrationBin(bin, (double) bin / bins, (double) (bin + 1) / bins, rows, mean(probabilitySum),
        ratio(positives, rows));
  }

  private double mean(BigDecimal sum) {
    return rows == 0 ? Double.NaN : sum.divide(BigDecimal.valueOf(rows), MathContext.DECIMAL128).doubleValue();
  }

  private static double ratio(long numerator, long denominator) {
    return denominator == 0 ? Double.NaN : (double) numerator / denominator;
  }
}
