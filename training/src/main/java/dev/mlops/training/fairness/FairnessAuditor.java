package dev.mlops.training.fairness;

import dev.mlops.training.evaluation.BinaryEvaluator;
import dev.mlops.training.evaluation.Evaluation;
import dev.mlops.training.evaluation.SliceMetrics;
import dev.mlops.training.spec.FairnessSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Audits a classifier's predictions by the groups of protected attributes, as Fairlearn's
 * {@code MetricFrame}: per group its counts, selection rate, TPR, FPR, precision and ROC AUC, and
 * the gaps between the groups (see {@link AttributeAudit}). One {@link BinaryEvaluator} pass with
 * the attributes as slices: four Spark jobs, a few numbers per group to the driver. Immutable
 * and thread-safe.
 */
public final class FairnessAuditor {
  private final BinaryEvaluator evaluator;
  private final FairnessSpec spec;

  /**
   * An auditor of the given columns against {@code spec}.
   *
   * @param labelColumn the 0/1 label
   * @param probabilityColumn the predicted P(label = 1)
   */
  public FairnessAuditor(String labelColumn, String probabilityColumn, FairnessSpec spec) {
    this.evaluator = new BinaryEvaluator(labelColumn, probabilityColumn);
    this.spec = Objects.requireNonNull(spec, "spec == null");
  }

  /**
   * The audit of {@code predictions} at {@code threshold} (a row is selected iff its probability
   * is at least the threshold).
   *
   * @throws IllegalArgumentException as {@link BinaryEvaluator#evaluate}: an attribute missing
   *     from the predictions, or with more than 100 values
   */
  public FairnessAudit audit(Dataset<Row> predictions, double threshold) {
    Evaluation e = evaluator.evaluate(predictions, threshold, spec.attributes());
    List<AttributeAudit> audits = new ArrayList<>();
    for (String attribute : spec.attributes()) {
      List<GroupOutcome> groups = new ArrayList<>();
      for (SliceMetrics s : e.slices()) {
        if (s.column().equals(attribute)) {
          groups.add(GroupOutcome.of(s.value(), s.metrics(), spec.minGroupCount(), spec.minClassCount()));
        }
      }
      audits.add(AttributeAudit.of(attribute, groups, spec));
    }
    return new FairnessAudit(threshold, spec.minGroupCount(), spec.minClassCount(), audits);
  }
}
