package dev.mlops.training.evaluation;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.mlops.core.spark.Identifiers;
import dev.mlops.training.TrainingErrors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;

/**
 * Predictions as evaluation reads them: {@code y} (the label as a double), {@code p} (the
 * probability as a double) and {@code k0, k1, ...} (each slice column's value as a string,
 * {@code "(null)"} for null). Made only after the columns were checked.
 */
record Prepared(Dataset<Row> frame, List<String> sliceColumns) {
  static final String NULL_VALUE = "(null)";

  /**
   * Checks that the columns exist and have usable types, and projects them.
   *
   * @throws IllegalArgumentException naming the column at fault and the columns present
   */
  static Prepared of(Dataset<Row> predictions, String label, String probability, List<String> slices) {
    List<String> present = Arrays.asList(predictions.columns());
    require(present, "label", label);
    require(present, "probability", probability);
    DataType labelType = predictions.schema().apply(label).dataType();
    if (!(labelType instanceof NumericType) && !(labelType instanceof BooleanType)) {
      throw TrainingErrors.evaluationColumnMistyped("label", label, labelType.simpleString(),
          "a label is 0/1 (a number) or a boolean");
    }
    DataType probabilityType = predictions.schema().apply(probability).dataType();
    if (!(probabilityType instanceof NumericType)) {
      throw TrainingErrors.evaluationColumnMistyped("probability", probability, probabilityType.simpleString(),
          "pass a column of doubles P(label = 1); for MLlib's probability vector use vector_to_array(probability)[1]");
    }
    Set<String> seen = new HashSet<>();
    List<Column> columns = new ArrayList<>(List.of(Identifiers.column(label).cast("double").as("y"),
        Identifiers.column(probability).cast("double").as("p")));
    for (String slice : slices) {
      require(present, "slice", slice);
      if (!seen.add(slice)) {
        throw TrainingErrors.duplicateSlice(slice);
      }
      columns.add(coalesce(Identifiers.column(slice).cast("string"), lit(NULL_VALUE)).as("k" + (seen.size() - 1)));
    }
    return new Prepared(predictions.select(columns.toArray(Column[]::new)), List.copyOf(slices));
  }

  /**
   * One row per input row and group it belongs to: {@code s, k, y, p} (see {@link GroupKey}); with
   * {@code binOf}, the calibration bins too.
   */
  Dataset<Row> byGroup(Column binOf) {
    List<Column> groups = new ArrayList<>();
    if (binOf != null) {
      groups.add(struct(lit(GroupKey.CALIBRATION).as("s"), binOf.cast("string").as("k")));
    }
    groups.add(struct(lit(GroupKey.OVERALL.set()).as("s"), lit(GroupKey.OVERALL.value()).as("k")));
    for (int i = 0; i < sliceColumns.size(); i++) {
      groups.add(struct(lit(i + 1).as("s"), col("k" + i).as("k")));
    }
    return frame.select(col("y"), col("p"), explode(array(groups.toArray(Column[]::new))).as("g"))
        .select(col("g.s").as("s"), col("g.k").as("k"), col("y"), col("p"));
  }

  /**
   * The distinct probabilities of each group (not the calibration bins) with their counts of
   * positives and negatives: {@code s, k, p, pos, neg}. Only for rows already checked to be valid.
   */
  Dataset<Row> points() {
    Column positive = col("y").equalTo(1);
    return byGroup(null).groupBy(col("s"), col("k"), col("p"))
        .agg(sum(when(positive, 1L).otherwise(0L)).as("pos"), sum(when(positive, 0L).otherwise(1L)).as("neg"));
  }

  private static void require(List<String> present, String role, String column) {
    if (!present.contains(column)) {
      throw TrainingErrors.evaluationColumnMissing(role, column, present);
    }
  }

}
