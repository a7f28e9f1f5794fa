package dev.mlops.training.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * TreeSHAP of one tree, by each of its two methods (walking the paths, {@link TreeShap}; per-leaf
 * tables, {@link LeafTableShap}), against the Shapley values computed by their definition, on
 * random trees and rows.
 */
class TreeShapTest {

  /** The two ways of computing a tree's SHAP values. */
  enum Method {
    WALK {
      @Override
      void addTo(FlatTree tree, double[] x, double scale, double[] out) {
        new TreeShap(tree).addTo(x, scale, out);
      }
    },
    /** Tables built for each call: fine for tests, where rows are few. */
    TABLES {
      @Override
      void addTo(FlatTree tree, double[] x, double scale, double[] out) {
        LeafTableShap tables = LeafTableShap.of(tree);
        assertThat(tables).as("tables for a tree of depth %d", tree.depth()).isNotNull();
        tables.addTo(x, scale, out, new int[tables.nodes()]);
      }
    };

    abstract void addTo(FlatTree tree, double[] x, double scale, double[] out);
  }

  @ParameterizedTest
  @EnumSource(Method.class)
  void equalsTheBruteForceShapleyValuesOnRandomTreesOfUpToEightFeatures(Method method) {
    int checked = 0;
    for (int m = 1; m <= 8; m++) {
      RandomTrees random = new RandomTrees(1000 + m, m, Math.min(2, m - 1));
      for (int t = 0; t < 25; t++) {
        FlatTree tree = random.tree(1 + t % 6);
        for (int r = 0; r < 8; r++) {
          double[] x = random.row();
          double[] fast = new double[m];
          method.addTo(tree, x, 1, fast);
          double[] exact = BruteForceShapley.values(tree, x);
          for (int i = 0; i < m; i++) {
            assertThat(fast[i]).as("feature %d of row %s, %d features, tree %d", i, java.util.Arrays.toString(x), m, t)
                .isCloseTo(exact[i], within(1e-9));
          }
          checked++;
        }
      }
    }
    assertThat(checked).isEqualTo(8 * 25 * 8);
  }

  @ParameterizedTest
  @EnumSource(Method.class)
  void addsUpToTheLeafTheRowReachesMinusTheExpectation(Method method) {
    RandomTrees random = new RandomTrees(7, 6, 2);
    for (int t = 0; t < 200; t++) {
      FlatTree tree = random.tree(6);
      double[] x = random.row();
      double[] phi = new double[6];
      method.addTo(tree, x, 2.5, phi);
      double sum = java.util.Arrays.stream(phi).sum();
      assertThat(tree.expectedValue() * 2.5 + sum).as("tree %d", t).isCloseTo(tree.value[tree.leaf(x)] * 2.5, within(1e-9));
    }
  }

  /**
   * A hand-made tree: the root splits feature 0 at 0 (10 rows left, 0 right); the left child splits
   * feature 1 at 0.5 (4 and 6 rows). A row going right at the root lands in a branch no training
   * row reached.
   */
  private static FlatTree zeroCoverTree() {
    return new FlatTree(new int[] {0, 1, -1, -1, -1}, new double[] {0, 0.5, 0, 0, 0}, new double[5][], new boolean[5],
        new int[] {1, 2, 0, 0, 0}, new int[] {4, 3, 0, 0, 0}, new double[] {10, 10, 4, 6, 0},
        new double[] {0, 0, 1, 3, 100});
  }

  @ParameterizedTest
  @EnumSource(Method.class)
  void aRowInABranchWithoutTrainingRowsGetsItsWholeDistanceFromTheExpectation(Method method) {
    FlatTree tree = zeroCoverTree();
    assertThat(tree.expectedValue()).isCloseTo(0.4 * 1 + 0.6 * 3, within(1e-12));
    double[] phi = new double[2];
    method.addTo(tree, new double[] {1, 0}, 1, phi);
    // v({}) = 2.2, v({0}) = 100, v({1}) = 1, v({0,1}) = 100
    assertThat(phi[0]).isCloseTo(0.5 * (100 - 2.2) + 0.5 * (100 - 1), within(1e-12));
    assertThat(phi[1]).isCloseTo(0.5 * (1 - 2.2) + 0.5 * (100 - 100), within(1e-12));
    assertThat(phi).containsExactly(BruteForceShapley.values(tree, new double[] {1, 0}), within(1e-12));
  }

  @ParameterizedTest
  @EnumSource(Method.class)
  void aMissingValueGoesRightAsInMllibAndIsCreditedLikeAnyValue(Method method) {
    FlatTree tree = zeroCoverTree();
    double[] x = {0, Double.NaN};
    assertThat(tree.leaf(x)).as("NaN <= 0.5 is false: right").isEqualTo(3);
    double[] phi = new double[2];
    method.addTo(tree, x, 1, phi);
    assertThat(phi).containsExactly(BruteForceShapley.values(tree, x), within(1e-12));
    assertThat(tree.expectedValue() + phi[0] + phi[1]).isCloseTo(3, within(1e-12));
  }

  @ParameterizedTest
  @EnumSource(Method.class)
  void aFeatureSplitTwiceOnOnePathIsCreditedOnce(Method method) {
    // root: f0 <= 0; left: f0 <= -0.5 again; right leaf
    FlatTree tree = new FlatTree(new int[] {0, 0, -1, -1, -1}, new double[] {0, -0.5, 0, 0, 0}, new double[5][],
        new boolean[5], new int[] {1, 2, 0, 0, 0}, new int[] {4, 3, 0, 0, 0}, new double[] {8, 4, 1, 3, 4},
        new double[] {0, 0, -1, 2, 5});
    for (double v : List.of(-1.0, -0.25, 1.0)) {
      double[] phi = new double[1];
      method.addTo(tree, new double[] {v}, 1, phi);
      assertThat(phi[0]).as("x = %s", v).isCloseTo(tree.value[tree.leaf(new double[] {v})] - tree.expectedValue(),
          within(1e-12));
    }
  }

  @Test
  void aTreeWhoseTablesWouldBeTooLargeHasNoneAndTheWalkAgreesWithTheTablesBelowIt() {
    RandomTrees random = new RandomTrees(11, 12, 2);
    int deep = 0;
    int compared = 0;
    for (int t = 0; t < 60; t++) {
      FlatTree tree = random.tree(9);
      LeafTableShap tables = LeafTableShap.of(tree);
      if (tables == null) {
        deep++;
        continue;
      }
      for (int r = 0; r < 20; r++) {
        double[] x = random.row();
        double[] walked = new double[12];
        new TreeShap(tree).addTo(x, 0.7, walked);
        double[] read = new double[12];
        tables.addTo(x, 0.7, read, new int[tables.nodes()]);
        assertThat(read).as("tree %d, row %s", t, java.util.Arrays.toString(x)).containsExactly(walked, within(1e-9));
        compared++;
      }
    }
    assertThat(deep).as("trees of depth up to 9 over 12 features with more than %d table values", LeafTableShap.MAX_VALUES)
        .isPositive();
    assertThat(compared).as("trees small enough for tables").isPositive();
  }

  @Test
  void anEnsembleOfALeafAndShallowAndDeepTreesAddsEachTreesExactValuesByTablesOrWalk() {
    RandomTrees random = new RandomTrees(23, 10, 2);
    FlatTree leaf = new FlatTree(new int[] {-1}, new double[1], new double[1][], new boolean[1], new int[1], new int[1],
        new double[] {50}, new double[] {0.3});
    List<FlatTree> trees = new java.util.ArrayList<>(List.of(leaf));
    while (trees.size() < 4) {
      trees.add(random.tree(3));
    }
    while (trees.size() < 7) {
      FlatTree deep = random.tree(9);
      if (LeafTableShap.of(deep) == null) {
        trees.add(deep);
      }
    }
    double[] weights = {1, 0.5, -0.25, 0.1, 0.7, 0.2, 1.5};
    TreeExplainer explainer = new TreeExplainer(trees, weights, 10);
    for (int r = 0; r < 6; r++) {
      double[] x = random.row();
      double[] expected = new double[10];
      for (int t = 0; t < trees.size(); t++) {
        double[] exact = BruteForceShapley.values(trees.get(t), x);
        for (int i = 0; i < 10; i++) {
          expected[i] += weights[t] * exact[i];
        }
      }
      double[] phi = explainer.contributions(x);
      assertThat(phi).as("row %s", java.util.Arrays.toString(x)).containsExactly(expected, within(1e-9));
      assertThat(explainer.baseValue() + java.util.Arrays.stream(phi).sum()).as("local accuracy")
          .isCloseTo(explainer.margin(x), within(1e-9));
    }
  }
}
