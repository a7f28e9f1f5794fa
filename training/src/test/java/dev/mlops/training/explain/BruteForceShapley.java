package dev.mlops.training.explain;

/**
 * Shapley values of one tree by their definition, for the tests: every coalition of features
 * enumerated, its value the path-dependent conditional expectation (a split on a coalition's
 * feature follows the row, any other split averages its branches weighed by
 * {@link FlatTree#share}). Exponential in the number of features; fine up to about 10.
 */
final class BruteForceShapley {
  private BruteForceShapley() {}

  static double[] values(FlatTree tree, double[] x) {
    int m = x.length;
    double[] coalition = new double[1 << m];
    for (int s = 0; s < coalition.length; s++) {
      coalition[s] = expectation(tree, x, s, 0);
    }
    double[] factorial = new double[m + 1];
    factorial[0] = 1;
    for (int i = 1; i <= m; i++) {
      factorial[i] = factorial[i - 1] * i;
    }
    double[] phi = new double[m];
    for (int i = 0; i < m; i++) {
      for (int s = 0; s < coalition.length; s++) {
        if ((s & (1 << i)) != 0) {
          continue;
        }
        int size = Integer.bitCount(s);
        double weight = factorial[size] * factorial[m - size - 1] / factorial[m];
        phi[i] += weight * (coalition[s | (1 << i)] - coalition[s]);
      }
    }
    return phi;
  }

  /** The tree's output under {@code node} with the features of the bit set {@code known} fixed to {@code x}'s. */
  static double expectation(FlatTree tree, double[] x, int known, int node) {
    int f = tree.feature[node];
    if (f < 0) {
      return tree.value[node];
    }
    if ((known & (1 << f)) != 0) {
      return expectation(tree, x, known, tree.goesLeft(node, x) ? tree.left[node] : tree.right[node]);
    }
    return tree.share(node, tree.left[node]) * expectation(tree, x, known, tree.left[node])
        + tree.share(node, tree.right[node]) * expectation(tree, x, known, tree.right[node]);
  }
}
