package dev.mlops.training.explain;

/**
 * Exact path-dependent TreeSHAP of one tree (Lundberg, Erion and Lee, 2018, "Consistent
 * Individualized Feature Attribution for Tree Ensembles", Algorithm 2): the Shapley values of
 * the features for a row, where a coalition's value is the tree's output with the coalition's
 * features fixed to the row's values and every other split averaged over its branches, weighed by
 * the training rows that took them ({@link FlatTree#share}). Polynomial: each leaf's path is
 * walked once, keeping the weights of every coalition size along the way (EXTEND), and each
 * feature's share is read by undoing its step (UNWIND) without copying the path.
 *
 * <p>A branch that no training row took and the row does not take either carries no weight in
 * any coalition, so it is skipped.
 *
 * <p>Not thread-safe: an instance holds the working paths of one tree; make one per thread.
 */
final class TreeShap {
  /** {@code 1 / k} for the path lengths there can be (MLlib's trees are at most 30 deep): multiplications, not divisions, in the loops. */
  private static final double[] INVERSE = new double[66];

  static {
    for (int k = 1; k < INVERSE.length; k++) {
      INVERSE[k] = 1.0 / k;
    }
  }

  private final FlatTree tree;
  /** Per split node, the {@link FlatTree#share} of its left and of its right child. */
  private final double[] leftShare;
  private final double[] rightShare;
  /** Per recursion level, the path: its features, zero and one fractions, and coalition weights. */
  private final int[][] d;
  private final double[][] z;
  private final double[][] o;
  private final double[][] w;
  private double[] x;
  private double[] phi;
  private double scale;

  TreeShap(FlatTree tree) {
    this.tree = tree;
    leftShare = new double[tree.feature.length];
    rightShare = new double[tree.feature.length];
    for (int n = 0; n < leftShare.length; n++) {
      if (tree.feature[n] >= 0) {
        leftShare[n] = tree.share(n, tree.left[n]);
        rightShare[n] = tree.share(n, tree.right[n]);
      }
    }
    int levels = tree.depth() + 2;
    d = new int[levels][levels + 1];
    z = new double[levels][levels + 1];
    o = new double[levels][levels + 1];
    w = new double[levels][levels + 1];
  }

  /**
   * Adds {@code scale} times the tree's SHAP values for the row {@code row} to {@code out}, a
   * value per feature index.
   */
  void addTo(double[] row, double scale, double[] out) {
    this.x = row;
    this.phi = out;
    this.scale = scale;
    recurse(0, 0, 0, 1, 1, -1);
    this.x = null;
    this.phi = null;
  }

  /**
   * Walks {@code node} at recursion {@code level}, whose parent's path has {@code length}
   * elements, entering it with zero fraction {@code pz}, one fraction {@code po}, by a split on
   * feature {@code pi}.
   */
  private void recurse(int node, int level, int length, double pz, double po, int pi) {
    int len = extend(level, length, pz, po, pi);
    if (tree.feature[node] < 0) {
      double v = tree.value[node] * scale;
      double cold = Double.NaN;
      for (int i = 1; i < len; i++) {
        double weight;
        if (o[level][i] == 0) {
          // an element the row does not follow: its unwound sum is one sum over the path, over its zero fraction
          cold = Double.isNaN(cold) ? coldSum(level, len) : cold;
          weight = cold / z[level][i];
        } else {
          weight = unwoundSum(level, len, i);
        }
        phi[d[level][i]] += weight * (o[level][i] - z[level][i]) * v;
      }
      return;
    }
    int f = tree.feature[node];
    boolean left = tree.goesLeft(node, x);
    int hot = left ? tree.left[node] : tree.right[node];
    int cold = left ? tree.right[node] : tree.left[node];
    double iz = 1;
    double io = 1;
    for (int k = 1; k < len; k++) {
      if (d[level][k] == f) {
        iz = z[level][k];
        io = o[level][k];
        len = unwind(level, len, k);
        break;
      }
    }
    double hotZ = iz * (left ? leftShare[node] : rightShare[node]);
    double coldZ = iz * (left ? rightShare[node] : leftShare[node]);
    if (hotZ != 0 || io != 0) {
      recurse(hot, level + 1, len, hotZ, io, f);
    }
    if (coldZ != 0) {
      recurse(cold, level + 1, len, coldZ, 0, f);
    }
  }

  /**
   * Copies the path of {@code level - 1} (its first {@code length} elements) to {@code level} and
   * extends it by one element; returns the new length.
   */
  private int extend(int level, int length, double pz, double po, int pi) {
    int[] dd = d[level];
    double[] zz = z[level];
    double[] oo = o[level];
    double[] ww = w[level];
    if (level > 0) {
      int[] pd = d[level - 1];
      double[] pz0 = z[level - 1];
      double[] po0 = o[level - 1];
      double[] pw = w[level - 1];
      for (int i = 0; i < length; i++) { // a loop: System.arraycopy costs more than these few elements
        dd[i] = pd[i];
        zz[i] = pz0[i];
        oo[i] = po0[i];
        ww[i] = pw[i];
      }
    }
    dd[length] = pi;
    zz[length] = pz;
    oo[length] = po;
    ww[length] = length == 0 ? 1 : 0;
    double inv = INVERSE[length + 1];
    for (int i = length - 1; i >= 0; i--) {
      ww[i + 1] += po * ww[i] * (i + 1) * inv;
      ww[i] = pz * ww[i] * (length - i) * inv;
    }
    return length + 1;
  }

  /** Removes element {@code i} from the path of {@code level}, of {@code len} elements; returns the new length. */
  private int unwind(int level, int len, int i) {
    int[] dd = d[level];
    double[] zz = z[level];
    double[] oo = o[level];
    double[] ww = w[level];
    int top = len - 1;
    double one = oo[i];
    double zero = zz[i];
    double n = ww[top];
    double inverse = 1 / (one != 0 ? one : zero);
    double invTop = INVERSE[top + 1];
    for (int j = top - 1; j >= 0; j--) {
      if (one != 0) {
        double t = ww[j];
        ww[j] = n * (top + 1) * INVERSE[j + 1] * inverse;
        n = t - ww[j] * zero * (top - j) * invTop;
      } else {
        ww[j] = ww[j] * (top + 1) * inverse * INVERSE[top - j];
      }
    }
    for (int j = i; j < top; j++) {
      dd[j] = dd[j + 1];
      zz[j] = zz[j + 1];
      oo[j] = oo[j + 1];
    }
    return len - 1;
  }

  /**
   * The sum of the path's weights {@code w[j] * len / (len - 1 - j)}: times {@code 1 / z}, the
   * unwound sum of any element with one fraction 0 and zero fraction {@code z}.
   */
  private double coldSum(int level, int len) {
    double[] ww = w[level];
    int top = len - 1;
    double total = 0;
    for (int j = top - 1; j >= 0; j--) {
      total += ww[j] * INVERSE[top - j];
    }
    return total * (top + 1);
  }

  /** The total weight of the path of {@code level} (length {@code len}) with element {@code i} undone, leaving the path as it is. */
  private double unwoundSum(int level, int len, int i) {
    double[] ww = w[level];
    int top = len - 1;
    double one = o[level][i];
    double zero = z[level][i];
    double total = 0;
    if (one != 0) {
      double n = ww[top];
      double scaled = (top + 1) / one;
      double shrink = zero * INVERSE[top + 1];
      for (int j = top - 1; j >= 0; j--) {
        double t = n * scaled * INVERSE[j + 1];
        total += t;
        n = ww[j] - t * shrink * (top - j);
      }
    } else {
      double scaled = (top + 1) / zero;
      for (int j = top - 1; j >= 0; j--) {
        total += ww[j] * scaled * INVERSE[top - j];
      }
    }
    return total;
  }
}
