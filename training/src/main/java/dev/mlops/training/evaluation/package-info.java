/**
 * Evaluation of binary classifiers on Spark: {@link dev.mlops.training.evaluation.BinaryEvaluator}
 * computes {@link dev.mlops.training.evaluation.BinaryMetrics} (ROC and PR AUC as Spark MLlib defines
 * them, log loss, the confusion matrix at a threshold) overall and per slice value, and a
 * calibration table, in a few Spark jobs and without collecting rows to the driver.
 *
 * <p>Everything public here is immutable and thread-safe. Results are bit-identical for the same
 * rows whatever their partitioning: every sum is exact before it is rounded once.
 */
package dev.mlops.training.evaluation;
