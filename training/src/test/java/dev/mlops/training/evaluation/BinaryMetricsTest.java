package dev.mlops.training.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Metrics by name, NaN as null, and finding a slice of an Evaluation. */
class BinaryMetricsTest {
  static final BinaryMetrics METRICS = new BinaryMetrics(8, 4, 0.75, Double.NaN, 0.5, 0.6, 0.75, 2.0 / 3, 0.625, 0.625, 0.5);

  @Test
  void asMapListsEveryMetricInOrderWithNullForNaN() {
    Map<String, Double> map = METRICS.asMap();
    assertThat(map.keySet()).containsExactly("rows", "positives", "roc_auc", "pr_auc", "log_loss", "precision", "recall",
        "f1", "accuracy", "predicted_positive_rate", "threshold");
    assertThat(map).containsEntry("rows", 8.0).containsEntry("positives", 4.0).containsEntry("roc_auc", 0.75)
        .containsEntry("pr_auc", null).containsEntry("log_loss", 0.5).containsEntry("f1", 2.0 / 3)
        .containsEntry("predicted_positive_rate", 0.625).containsEntry("threshold", 0.5);
    assertThatThrownBy(() -> map.put("x", 1.0)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void metricReadsOneByNameAndNamesTheKnownOnesForAnUnknownName() {
    assertThat(METRICS.metric("recall")).isEqualTo(0.75);
    assertThat(METRICS.metric("pr_auc")).isNaN();
    assertThatThrownBy(() -> METRICS.metric("auc")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'auc'").hasMessageContaining("roc_auc, pr_auc, log_loss");
  }

  @Test
  void onlyLogLossIsBetterLower() {
    assertThat(BinaryMetrics.higherIsBetter("log_loss")).isFalse();
    assertThat(BinaryMetrics.higherIsBetter("roc_auc")).isTrue();
    assertThat(BinaryMetrics.higherIsBetter("f1")).isTrue();
    assertThatThrownBy(() -> BinaryMetrics.higherIsBetter("loss")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("log_loss");
  }

  @Test
  void refusesMorePositivesThanRows() {
    assertThatThrownBy(() -> new BinaryMetrics(2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0.5))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positives 3");
  }

  @Test
  void evaluationFindsASliceByColumnAndValue() {
    SliceMetrics a = new SliceMetrics("segment", "a", METRICS);
    Evaluation e = new Evaluation(METRICS, List.of(), List.of(a, new SliceMetrics("segment", "(null)", METRICS)));
    assertThat(e.slice("segment", "a")).contains(a);
    assertThat(e.slice("segment", "(null)")).isPresent();
    assertThat(e.slice("segment", "b")).isEmpty();
    assertThat(e.slice("country", "a")).isEmpty();
  }
}
