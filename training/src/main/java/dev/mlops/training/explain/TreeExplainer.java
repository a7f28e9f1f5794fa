package dev.mlops.training.explain;

import dev.mlops.training.explain.internal.NodeStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.classification.GBTClassificationModel;
import org.apache.spark.ml.classification.RandomForestClassificationModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.tree.Node;

/**
 * Per-row explanations of an MLlib tree ensemble by exact path-dependent TreeSHAP: for a row's
 * feature vector, a contribution per vector slot such that the base value plus the contributions
 * is the model's output, to rounding.
 *
 * <p>The output explained, its <em>margin</em>:
 * <ul>
 *   <li>a GBT classifier: MLlib's raw margin, the sum over trees of tree weight times the tree's
 *       prediction; the probability of class 1 is {@code 1 / (1 + exp(-2 * margin))};</li>
 *   <li>a random forest classifier: the probability of class 1 itself, the average over trees of
 *       the leaf's share of class 1 among its training rows.</li>
 * </ul>
 * The base value is the margin's expectation over the training rows, each tree's leaves weighed
 * by the rows that reached them (the same path-dependent weighing the values use).
 *
 * <p>Each tree is explained from per-leaf tables ({@link LeafTableShap}) when they are small
 * (always so at depth 6 or less) and the model's tables together stay within {@link
 * #MAX_TABLE_VALUES}, else by walking its paths ({@link TreeShap}); both give the exact values.
 *
 * <p>Get one with {@link #of(PipelineModel)}. Immutable and serializable; {@link #contributions}
 * is thread-safe (the tables are built once and shared, the working paths are per thread).
 */
public final class TreeExplainer implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  private final FlatTree[] trees;
  private final double[] weights;
  private final int size;
  private final double base;
  /** The most values the tables of one model hold together (16 MiB): 409 full trees of depth 5, or 85 of depth 6. */
  static final int MAX_TABLE_VALUES = 1 << 21;

  private transient volatile ThreadLocal<Worker> workers;

  /**
   * What one thread explains with: per tree its {@link LeafTableShap} (shared by the threads) or,
   * for a tree too large for tables, its own {@link TreeShap}; and the tables' scratch array.
   */
  private record Worker(LeafTableShap[] tables, TreeShap[] walks, int[] scratch) {}

  TreeExplainer(List<FlatTree> trees, double[] weights, int size) {
    this.trees = trees.toArray(FlatTree[]::new);
    this.weights = weights.clone();
    this.size = size;
    double b = 0;
    for (int i = 0; i < this.trees.length; i++) {
      b += this.weights[i] * this.trees[i].expectedValue();
    }
    this.base = b;
  }

  /**
   * The explainer of {@code model}'s last stage when it is a GBT or random forest classifier;
   * empty for any other model (a logistic regression is explained globally by its coefficients,
   * see {@link GlobalExplanation}).
   */
  public static Optional<TreeExplainer> of(PipelineModel model) {
    Transformer last = model.stages()[model.stages().length - 1];
    if (last instanceof GBTClassificationModel gbt) {
      List<FlatTree> trees = new ArrayList<>();
      for (var t : gbt.trees()) {
        trees.add(FlatTree.of(t.rootNode(), Node::prediction));
      }
      return Optional.of(new TreeExplainer(trees, gbt.treeWeights(), gbt.numFeatures()));
    }
    if (last instanceof RandomForestClassificationModel rf) {
      List<FlatTree> trees = new ArrayList<>();
      for (var t : rf.trees()) {
        trees.add(FlatTree.of(t.rootNode(), NodeStats::positiveShare));
      }
      double[] weights = new double[trees.size()];
      java.util.Arrays.fill(weights, 1.0 / trees.size());
      return Optional.of(new TreeExplainer(trees, weights, rf.numFeatures()));
    }
    return Optional.empty();
  }

  /** The number of vector slots a row has. */
  public int size() {
    return size;
  }

  /** The margin's expectation over the training rows: the margin with no feature known. */
  public double baseValue() {
    return base;
  }

  /** The margin of {@code row}, computed from the trees directly (what the contributions add up to with the base). */
  public double margin(double[] row) {
    double m = 0;
    for (int i = 0; i < trees.length; i++) {
      m += weights[i] * trees[i].value[trees[i].leaf(row)];
    }
    return m;
  }

  /** The contribution of each vector slot to the margin of {@code row}. */
  public double[] contributions(Vector row) {
    return contributions(row.toArray());
  }

  /** The contribution of each vector slot to the margin of {@code row} ({@link #size} values). */
  public double[] contributions(double[] row) {
    if (row.length != size) {
      throw new IllegalArgumentException("a row of " + row.length + " values for a model of " + size + " features");
    }
    double[] phi = new double[size];
    Worker w = worker();
    for (int i = 0; i < trees.length; i++) {
      if (w.tables[i] != null) {
        w.tables[i].addTo(row, weights[i], phi, w.scratch);
      } else {
        w.walks[i].addTo(row, weights[i], phi);
      }
    }
    return phi;
  }

  private Worker worker() {
    ThreadLocal<Worker> local = workers;
    if (local == null) {
      synchronized (this) {
        if (workers == null) {
          LeafTableShap[] tables = new LeafTableShap[trees.length];
          int nodes = 0;
          long values = 0;
          for (int i = 0; i < trees.length; i++) {
            LeafTableShap t = LeafTableShap.of(trees[i]);
            if (t != null && values + t.values() <= MAX_TABLE_VALUES) {
              tables[i] = t;
              values += t.values();
            }
            nodes = Math.max(nodes, trees[i].feature.length);
          }
          int scratch = nodes;
          workers = ThreadLocal.withInitial(() -> {
            TreeShap[] walks = new TreeShap[trees.length];
            for (int i = 0; i < trees.length; i++) {
              walks[i] = tables[i] == null ? new TreeShap(trees[i]) : null;
            }
            return new Worker(tables, walks, new int[scratch]);
          });
        }
        local = workers;
      }
    }
    return local.get();
  }
}
