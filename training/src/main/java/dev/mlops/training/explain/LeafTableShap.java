package dev.mlops.training.explain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Exact path-dependent TreeSHAP of one tree from tables computed once per leaf (the idea of Fast
 * TreeSHAP v2, Yang 2021): the same values as {@link TreeShap}, in O(nodes + leaves x depth) per
 * row instead of O(leaves x depth^2).
 *
 * <p>A leaf with value {@code v} whose path splits on the distinct features {@code P} (m of them,
 * each with zero fraction {@code z_j}, the product of the {@link FlatTree#share}s its splits on
 * the path take) adds to feature {@code j} of {@code P}
 * <pre>
 *   v (o_j - z_j) sum over S, a subset of P - {j}: |S|! (m - |S| - 1)! / m! * prod_{i in S} o_i * prod_{i in P - S - j} z_i
 * </pre>
 * where {@code o_i} is 1 when the row follows every split on feature {@code i} of the path, else
 * 0. The zero fractions are the tree's; only the set {@code H} of the path's features the row
 * follows depends on the row. So each leaf keeps its contribution per feature for each of the
 * {@code 2^m} sets, and a row reads one line of it per leaf: its set is found in one pass over the
 * splits, each clearing its feature's bit on the side the row does not take.
 *
 * <p>The tables hold {@code sum over leaves of 2^m * m} values: a tree of depth 5 at most 5,120, of
 * depth 6 at most 24,576. A tree whose tables would hold more than {@link #MAX_VALUES} is left to
 * {@link TreeShap} ({@link #of} returns null).
 *
 * <p>Immutable and thread-safe; the caller passes the scratch array of {@link #addTo}.
 */
final class LeafTableShap {
  /** The most values a tree's tables may hold (512 KiB): any tree of depth 6 or less fits. */
  static final int MAX_VALUES = 1 << 16;

  private final FlatTree tree;
  /** The split nodes, each after its parent. */
  private final int[] splits;
  /** Per split node, the bit of its feature in the sets of the leaves under it. */
  private final int[] bit;
  /** The leaves whose path has a split, with their path's distinct features in bit order and tables. */
  private final int[] leaves;
  private final int[][] features;
  private final double[][] tables;
  private final int values;

  private LeafTableShap(FlatTree tree, int[] splits, int[] bit, int[] leaves, int[][] features, double[][] tables) {
    this.tree = tree;
    this.splits = splits;
    this.bit = bit;
    this.leaves = leaves;
    this.features = features;
    this.tables = tables;
    this.values = Arrays.stream(tables).mapToInt(t -> t.length).sum();
  }

  /** The tables of {@code tree}, or null when they would hold more than {@link #MAX_VALUES} values. */
  static LeafTableShap of(FlatTree tree) {
    Builder b = new Builder(tree);
    b.walk(0, new int[0], new double[0]);
    if (b.tooLarge) {
      return null;
    }
    List<double[]> tables = new ArrayList<>();
    for (int l = 0; l < b.leaves.size(); l++) {
      tables.add(table(tree.value[b.leaves.get(l)], b.zeros.get(l)));
    }
    return new LeafTableShap(tree, b.splits.stream().mapToInt(Integer::intValue).toArray(), b.bit,
        b.leaves.stream().mapToInt(Integer::intValue).toArray(), b.features.toArray(int[][]::new),
        tables.toArray(double[][]::new));
  }

  /** The number of values the tables hold. */
  int values() {
    return values;
  }

  /** The number of nodes, the length of {@link #addTo}'s scratch array. */
  int nodes() {
    return tree.feature.length;
  }

  /**
   * Adds {@code scale} times the tree's SHAP values for the row {@code x} to {@code out}, a value
   * per feature index; {@code scratch} holds at least {@link #nodes} ints.
   */
  void addTo(double[] x, double scale, double[] out, int[] scratch) {
    int[] set = scratch;
    set[0] = -1;
    for (int n : splits) {
      int s = set[n];
      int other = s & ~bit[n];
      boolean left = tree.goesLeft(n, x);
      set[tree.left[n]] = left ? s : other;
      set[tree.right[n]] = left ? other : s;
    }
    for (int l = 0; l < leaves.length; l++) {
      int[] f = features[l];
      int m = f.length;
      double[] t = tables[l];
      int base = (set[leaves[l]] & ((1 << m) - 1)) * m;
      for (int j = 0; j < m; j++) {
        out[f[j]] += scale * t[base + j];
      }
    }
  }

  /**
   * A leaf's table: for each set {@code h} of the path's features the row follows (bit {@code j}
   * for feature {@code j}), at {@code h * m + j}, the leaf's contribution to feature {@code j}.
   */
  private static double[] table(double v, double[] z) {
    int m = z.length;
    double[] weight = new double[m]; // |S|! (m - |S| - 1)! / m!, by |S|
    for (int s = 0; s < m; s++) {
      weight[s] = factorial(s) * factorial(m - s - 1) / factorial(m);
    }
    double[] t = new double[(1 << m) * m];
    double[] e = new double[m + 1];
    for (int h = 0; h < 1 << m; h++) {
      for (int j = 0; j < m; j++) {
        // prod over P - H - j of z, times the sum over S in H - j of weight(|S|) prod_{H - j - S} z:
        // the latter by the elementary symmetric polynomials e_r of the z of H - j
        double cold = 1;
        Arrays.fill(e, 0);
        e[0] = 1;
        int hot = 0;
        for (int i = 0; i < m; i++) {
          if (i == j) {
            continue;
          }
          if ((h & (1 << i)) == 0) {
            cold *= z[i];
          } else {
            hot++;
            for (int r = hot; r >= 1; r--) {
              e[r] += z[i] * e[r - 1];
            }
          }
        }
        double sum = 0;
        for (int s = 0; s <= hot; s++) {
          sum += weight[s] * e[hot - s];
        }
        double follows = (h & (1 << j)) != 0 ? 1 : 0;
        t[h * m + j] = v * (follows - z[j]) * cold * sum;
      }
    }
    return t;
  }

  private static double factorial(int n) {
    double f = 1;
    for (int i = 2; i <= n; i++) {
      f *= i;
    }
    return f;
  }

  /** Walks the tree once: the splits in order, each split's bit, each leaf's distinct features and zero fractions. */
  private static final class Builder {
    final FlatTree tree;
    final List<Integer> splits = new ArrayList<>();
    final int[] bit;
    final List<Integer> leaves = new ArrayList<>();
    final List<int[]> features = new ArrayList<>();
    final List<double[]> zeros = new ArrayList<>();
    long values;
    boolean tooLarge;

    Builder(FlatTree tree) {
      this.tree = tree;
      this.bit = new int[tree.feature.length];
    }

    /** {@code node}, reached by a path whose distinct features are {@code seen} with zero fractions {@code z}. */
    void walk(int node, int[] seen, double[] z) {
      int f = tree.feature[node];
      if (tooLarge) {
        return;
      }
      if (f < 0) {
        if (seen.length > 0) {
          leaves.add(node);
          features.add(seen);
          zeros.add(z);
          values += (long) seen.length << seen.length;
          tooLarge = values > MAX_VALUES;
        }
        return;
      }
      if (seen.length >= 30) {
        tooLarge = true; // more distinct features on a path than an int has bits
        return;
      }
      int j = 0;
      while (j < seen.length && seen[j] != f) {
        j++;
      }
      int[] next = j < seen.length ? seen : Arrays.copyOf(seen, seen.length + 1);
      next[j] = f;
      bit[node] = 1 << j;
      splits.add(node);
      for (int child : new int[] {tree.left[node], tree.right[node]}) {
        double[] childZ = Arrays.copyOf(z, next.length);
        childZ[j] = (j < z.length ? z[j] : 1) * tree.share(node, child);
        walk(child, next, childZ);
      }
    }
  }
}
