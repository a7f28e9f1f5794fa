package dev.mlops.scoring;

import static org.apache.spark.sql.functions.lit;

import dev.mlops.training.explain.FeatureSlots;
import dev.mlops.training.explain.TopContributions;
import dev.mlops.training.explain.TreeExplainer;
import dev.mlops.training.fit.PipelineFactory;
import dev.mlops.training.registry.ModelVersion;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;

/**
 * The explanation columns of a predictions table ({@code scoring.explain: top-<k>}):
 * {@value #CONTRIBUTIONS}, a map from model input to its TreeSHAP contribution to the row's
 * margin (the {@code k} largest in magnitude, the slots of a one-hot encoded input summed), and
 * {@value #BASE}, the margin's base value, the same for every row of a version. With every input
 * kept, base plus contributions is the margin: for a GBT the raw margin, {@code 0.5 * ln(score /
 * (1 - score))}; for a random forest the score itself. Shadow rows, never served, are not
 * explained (null). Stateless and thread-safe.
 */
final class RowExplanations {
  /** The column of the top contributions. */
  static final String CONTRIBUTIONS = "explanation";
  /** The column of the base value. */
  static final String BASE = "explanation_base";
  private static final MapType MAP = DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType);

  private RowExplanations() {}

  /**
   * The two columns for rows of {@code v} scored by {@code model} (they hold its assembled vector,
   * {@value PipelineFactory#FEATURES}); nulls of their types when {@code explained} is false.
   *
   * @throws dev.mlops.core.PlatformException when {@code v} is not a tree ensemble
   */
  static List<Column> columns(ModelVersion v, PipelineModel model, int top, boolean explained) {
    if (!explained) {
      return List.of(lit(null).cast(MAP).as(CONTRIBUTIONS), lit(null).cast(DataTypes.DoubleType).as(BASE));
    }
    TreeExplainer explainer = TreeExplainer.of(model).orElseThrow(() -> ScoringErrors.cannotExplain(v.id(), v.algorithm()));
    TopContributions contributions = new TopContributions(explainer, FeatureSlots.of(model), top);
    UDF1<Vector, Map<String, Double>> f = contributions::of;
    Column map = functions.udf(f, MAP).apply(functions.col(PipelineFactory.FEATURES));
    return List.of(map.as(CONTRIBUTIONS), lit(contributions.baseValue()).as(BASE));
  }
}
