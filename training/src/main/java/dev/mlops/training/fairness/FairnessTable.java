package dev.mlops.training.fairness;

import dev.mlops.core.runs.JobRun;
import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.TableVersion;
import dev.mlops.core.tables.Warehouse;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code ml.model_fairness}: one row per model version, protected attribute and group, with the
 * group's outcomes and its attribute's gaps (repeated on each of its groups, so one query reads
 * both). Written once per trained version, replacing that version's rows (a MERGE on model,
 * version, attribute and group). Stateless.
 */
public final class FairnessTable {
  /** The table. */
  public static final TableName TABLE = TableName.parse("ml.model_fairness");

  static final StructType SCHEMA = new StructType()
      .add("model", DataTypes.StringType, false)
      .add("version", DataTypes.IntegerType, false)
      .add("attribute", DataTypes.StringType, false)
      .add("group_value", DataTypes.StringType, false)
      .add("status", DataTypes.StringType, false)
      .add("rows", DataTypes.LongType, false)
      .add("positives", DataTypes.LongType, false)
      .add("selection_rate", DataTypes.DoubleType, true)
      .add("true_positive_rate", DataTypes.DoubleType, true)
      .add("false_positive_rate", DataTypes.DoubleType, true)
      .add("precision", DataTypes.DoubleType, true)
      .add("roc_auc", DataTypes.DoubleType, true)
      .add("demographic_parity_difference", DataTypes.DoubleType, true)
      .add("demographic_parity_ratio", DataTypes.DoubleType, true)
      .add("equal_opportunity_difference", DataTypes.DoubleType, true)
      .add("equalized_odds_difference", DataTypes.DoubleType, true)
      .add("largest_gap_metric", DataTypes.StringType, false)
      .add("largest_gap_between", DataTypes.createArrayType(DataTypes.StringType), true)
      .add("attribute_passed", DataTypes.BooleanType, false)
      .add("threshold", DataTypes.DoubleType, false)
      .add("run_id", DataTypes.StringType, true)
      .add("recorded_at", DataTypes.TimestampType, false);

  private FairnessTable() {}

  /** Writes {@code audit} as the rows of {@code model} version {@code version}; returns the table version. */
  public static TableVersion write(Warehouse warehouse, String model, int version, FairnessAudit audit, Instant at,
      JobRun run) {
    List<Row> rows = new ArrayList<>();
    for (AttributeAudit a : audit.attributes()) {
      Disparity gap = a.largestGap();
      for (GroupOutcome g : a.groups()) {
        rows.add(RowFactory.create(model, version, a.attribute(), g.value(), g.status(), g.rows(), g.positives(),
            GroupOutcome.nan(g.selectionRate()), GroupOutcome.nan(g.truePositiveRate()),
            GroupOutcome.nan(g.falsePositiveRate()), GroupOutcome.nan(g.precision()), GroupOutcome.nan(g.rocAuc()),
            gapOf(a, "demographic_parity_difference"), gapOf(a, Disparity.RATIO), gapOf(a, "equal_opportunity_difference"),
            gapOf(a, "equalized_odds_difference"), gap.metric(), gap.high() == null ? null : new String[] {gap.high(), gap.low()},
            a.passed(), audit.threshold(), run == null ? null : run.runId(), Timestamp.from(at)));
      }
    }
    warehouse.ensureDatabase(TABLE.database());
    TableVersion written = warehouse.upsert(warehouse.spark().createDataFrame(rows, SCHEMA), TABLE,
        List.of("model", "version", "attribute", "group_value"), run == null ? Map.of() : run.commitInfo());
    if (run != null) {
      run.output(written);
    }
    return written;
  }

  private static Double gapOf(AttributeAudit a, String metric) {
    return GroupOutcome.nan(a.disparity(metric).value());
  }
}
