package dev.mlops.training.evaluation;

/**
 * One bin of a calibration table: the rows whose probability lies in [lower, upper) (the last bin
 * also holds 1.0), how likely the model said they were positive, and how many were. Made by
 * {@link BinaryEvaluator#evaluate}; immutable and thread-safe.
 *
 * @param bin the bin's index, from 0
 * @param lower the smallest probability in the bin
 * @param upper the probability where the next bin starts (inclusive for the last bin)
 * @param rows the rows in the bin; 0 for an empty bin
 * @param meanPredicted the mean probability of those rows; NaN for an empty bin
 * @param observedRate the share of those rows labelled 1; NaN for an empty bin
 */
public record CalibrationBin(int bin, double lower, double upper, long rows, double meanPredicted, double observedRate) {}
