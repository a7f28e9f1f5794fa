package dev.mlops.training.explain;

import dev.mlops.training.explain.internal.NodeStats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.apache.spark.ml.tree.CategoricalSplit;
import org.apache.spark.ml.tree.ContinuousSplit;
import org.apache.spark.ml.tree.InternalNode;
import org.apache.spark.ml.tree.LeafNode;
import org.apache.spark.ml.tree.Node;
import org.apache.spark.ml.tree.Split;

/**
 * A decision tree laid out in flat arrays for explaining: per node its split feature (−1 for a
 * leaf), threshold or category set, children, cover (the weighted training rows that reached it)
 * and value (a leaf's output). Rows are routed exactly as MLlib routes them: a continuous split
 * sends {@code x <= threshold} left, so a NaN goes right; a categorical split tests membership in
 * the smaller of its two category sets, as MLlib's {@code CategoricalSplit} does, so a category
 * outside both goes where MLlib sends it.
 *
 * <p>Immutable and thread-safe.
 */
final class FlatTree implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  final int[] feature;
  final double[] threshold;
  /** A categorical node's category set (sorted), null for a continuous split or a leaf. */
  final double[][] categories;
  /** Whether a row whose category is in {@link #categories} goes left (else: whether it is not). */
  final boolean[] categoriesLeft;
  final int[] left;
  final int[] right;
  final double[] cover;
  final double[] value;

  FlatTree(int[] feature, double[] threshold, double[][] categories, boolean[] categoriesLeft, int[] left, int[] right,
      double[] cover, double[] value) {
    this.feature = feature;
    this.threshold = threshold;
    this.categories = categories;
    this.categoriesLeft = categoriesLeft;
    this.left = left;
    this.right = right;
    this.cover = cover;
    this.value = value;
  }

  /**
   * The tree under MLlib's {@code root}, a leaf's value given by {@code leafValue} (its
   * prediction for a regression tree, the positive class's share for a classification tree).
   */
  static FlatTree of(Node root, ToDoubleFunction<Node> leafValue) {
    List<Node> nodes = new ArrayList<>();
    collect(root, nodes);
    int n = nodes.size();
    FlatTree t = new FlatTree(new int[n], new double[n], new double[n][], new boolean[n], new int[n], new int[n],
        new double[n], new double[n]);
    java.util.IdentityHashMap<Node, Integer> index = new java.util.IdentityHashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      index.put(nodes.get(i), i);
    }
    for (int i = 0; i < nodes.size(); i++) {
      t.fill(i, nodes.get(i), index, leafValue);
    }
    return t;
  }

  private static void collect(Node node, List<Node> out) {
    out.add(node);
    if (node instanceof InternalNode in) {
      collect(in.leftChild(), out);
      collect(in.rightChild(), out);
    }
  }

  private void fill(int i, Node node, java.util.Map<Node, Integer> index, ToDoubleFunction<Node> leafValue) {
    cover[i] = NodeStats.cover(node);
    if (node instanceof LeafNode) {
      feature[i] = -1;
      value[i] = leafValue.applyAsDouble(node);
      return;
    }
    InternalNode in = (InternalNode) node;
    Split split = in.split();
    feature[i] = split.featureIndex();
    left[i] = index.get(in.leftChild());
    right[i] = index.get(in.rightChild());
    if (split instanceof ContinuousSplit c) {
      threshold[i] = c.threshold();
    } else {
      CategoricalSplit c = (CategoricalSplit) split;
      double[] l = c.leftCategories();
      int numCategories = l.length + c.rightCategories().length;
      categoriesLeft[i] = l.length <= numCategories / 2;
      categories[i] = (categoriesLeft[i] ? l : c.rightCategories()).clone();
      Arrays.sort(categories[i]);
    }
  }

  /** The longest root-to-leaf path, in splits. */
  int depth() {
    return depthOf(0);
  }

  private int depthOf(int node) {
    return feature[node] < 0 ? 0 : 1 + Math.max(depthOf(left[node]), depthOf(right[node]));
  }

  /** Whether the row {@code x} goes left at the split {@code node}. */
  boolean goesLeft(int node, double[] x) {
    double v = x[feature[node]];
    double[] set = categories[node];
    if (set == null) {
      return v <= threshold[node];
    }
    return (Arrays.binarySearch(set, v) >= 0) == categoriesLeft[node];
  }

  /** The leaf {@code x} lands in. */
  int leaf(double[] x) {
    int node = 0;
    while (feature[node] >= 0) {
      node = goesLeft(node, x) ? left[node] : right[node];
    }
    return node;
  }

  /**
   * The share of {@code node}'s training rows that went to {@code child}: its cover over the sum
   * of both children's covers, or one half each when both are zero (a branch no training row
   * reached). The path-dependent expectation weighs the branches by these shares.
   */
  double share(int node, int child) {
    double total = cover[left[node]] + cover[right[node]];
    return total > 0 ? cover[child] / total : 0.5;
  }

  /** The expectation of the tree's output over its training rows, weighing each branch by its {@link #share}. */
  double expectedValue() {
    return expectedValue(0);
  }

  private double expectedValue(int node) {
    if (feature[node] < 0) {
      return value[node];
    }
    return share(node, left[node]) * expectedValue(left[node]) + share(node, right[node]) * expectedValue(right[node]);
  }
}
