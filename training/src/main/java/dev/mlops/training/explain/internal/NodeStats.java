package dev.mlops.training.explain.internal;

import org.apache.spark.ml.tree.Node;

/**
 * The one door of the explanations to MLlib's non-public tree API: a node's training statistics,
 * {@code Node.impurityStats} ({@code private[ml]} in Scala, so public in the bytecode but not
 * part of MLlib's API). Relies on Spark 4.1's {@code ImpurityCalculator}: {@code count()} is the
 * weighted number of training rows that reached the node (its cover), and {@code stats()} of a
 * classification tree's node holds the weighted count of each class. Both are saved with a model
 * and come back on load. Stateless and thread-safe.
 */
public final class NodeStats {
  private NodeStats() {}

  /** The weighted number of training rows that reached {@code node}. */
  public static double cover(Node node) {
    return node.impurityStats().count();
  }

  /**
   * The share of class 1 among the training rows of a classification tree's {@code node}, as
   * MLlib's random forest averages it: the class counts normalized; 0 when the node has none.
   */
  public static double positiveShare(Node node) {
    double[] counts = node.impurityStats().stats();
    double total = 0;
    for (double c : counts) {
      total += c;
    }
    return total == 0 || counts.length < 2 ? 0 : counts[1] / total;
  }
}
