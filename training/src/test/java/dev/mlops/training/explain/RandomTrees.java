package dev.mlops.training.explain;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random small trees and rows for the TreeSHAP property tests: features {@code 0 ..
 * categorical - 1} take categories 0 to 4 (4 is outside every split's categories, as an index
 * MLlib never saw), the others values in [-1, 1] or NaN; some branches have no training rows.
 */
final class RandomTrees {
  private final SplittableRandom random;
  private final int features;
  private final int categorical;

  RandomTrees(long seed, int features, int categorical) {
    this.random = new SplittableRandom(seed);
    this.features = features;
    this.categorical = categorical;
  }

  /** A tree of depth at most {@code maxDepth}. */
  FlatTree tree(int maxDepth) {
    List<double[]> nodes = new ArrayList<>();
    List<double[]> sets = new ArrayList<>();
    build(nodes, sets, 0, maxDepth, 100 + random.nextInt(1000));
    int n = nodes.size();
    int[] feature = new int[n];
    double[] threshold = new double[n];
    double[][] categories = new double[n][];
    boolean[] left = new boolean[n];
    int[] l = new int[n];
    int[] r = new int[n];
    double[] cover = new double[n];
    double[] value = new double[n];
    for (int i = 0; i < n; i++) {
      double[] node = nodes.get(i);
      feature[i] = (int) node[0];
      threshold[i] = node[1];
      l[i] = (int) node[2];
      r[i] = (int) node[3];
      cover[i] = node[4];
      value[i] = node[5];
      categories[i] = sets.get(i);
      left[i] = node[6] > 0;
    }
    return new FlatTree(feature, threshold, categories, left, l, r, cover, value);
  }

  /** Adds the subtree of {@code cover} rows; returns its root's index. */
  private int build(List<double[]> nodes, List<double[]> sets, int depth, int maxDepth, double cover) {
    int me = nodes.size();
    double[] node = new double[7];
    nodes.add(node);
    sets.add(null);
    node[4] = cover;
    if (depth == maxDepth || (depth > 0 && random.nextInt(5) == 0)) {
      node[0] = -1;
      node[5] = random.nextGaussian();
      return me;
    }
    int f = random.nextInt(features);
    node[0] = f;
    if (f < categorical) {
      sets.set(me, random.nextBoolean() ? new double[] {0, 2} : new double[] {1});
      node[6] = random.nextBoolean() ? 1 : 0;
    } else {
      node[1] = random.nextDouble() * 1.6 - 0.8;
    }
    double share = switch (random.nextInt(6)) {
      case 0 -> 0;
      case 1 -> 1;
      default -> random.nextDouble();
    };
    double leftCover = cover == 0 ? 0 : Math.floor(cover * share);
    node[2] = build(nodes, sets, depth + 1, maxDepth, leftCover);
    node[3] = build(nodes, sets, depth + 1, maxDepth, cover - leftCover);
    return me;
  }

  /** A row: categories 0 to 4 for the categorical features, values in [-1, 1] or NaN for the others. */
  double[] row() {
    double[] x = new double[features];
    for (int i = 0; i < features; i++) {
      x[i] = i < categorical ? random.nextInt(5) : random.nextInt(10) == 0 ? Double.NaN : random.nextDouble() * 2 - 1;
    }
    return x;
  }
}
