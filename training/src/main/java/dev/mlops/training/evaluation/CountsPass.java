package dev.mlops.training.evaluation;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.mlops.training.TrainingErrors;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;

/**
 * One Spark job for the counts of every group: all rows, the calibration bins and each slice
 * value, as one group-by of the rows exploded into their groups. It also counts the rows that
 * cannot be evaluated (null or out-of-range label or probability) and each slice column's
 * distinct values, and refuses them. Per group it brings back one row, and for a slice column
 * over the limit a single row: the driver gets at most {@code 1 + bins + limit * slices} rows.
 */
final class CountsPass {
  /** Log loss clips probabilities to [EPSILON, 1 - EPSILON]. */
  static final double EPSILON = 1e-15;
  /**
   * Sums of doubles depend on the order Spark adds them in; sums of decimals do not. A log loss
   * term is at most -ln(1e-15) < 35, a probability at most 1, so 20 integer digits hold the
   * sum of 10^18 rows, and 18 decimals keep each term to 5e-19.
   */
  private static final DecimalType EXACT = DataTypes.createDecimalType(38, 18);

  private CountsPass() {}

  /**
   * Counts every group, checks the rows, and returns the counts by group.
   *
   * @throws IllegalArgumentException for null or invalid labels or probabilities, and for a slice
   *     column with more than {@code maxValues} distinct values
   */
  static Map<GroupKey, GroupCounts> run(Prepared in, double threshold, int bins, int maxValues, String labelColumn,
      String probabilityColumn) {
    Column y = col("y");
    Column p = col("p");
    Column nullLabel = y.isNull();
    Column nullProbability = p.isNull();
    Column badLabel = y.isNotNull().and(y.notEqual(0.0)).and(y.notEqual(1.0));
    Column badProbability = p.isNotNull().and(isnan(p).or(p.lt(0.0)).or(p.gt(1.0)));
    Column valid = not(nullLabel.or(nullProbability).or(badLabel).or(badProbability));
    Column positive = valid.and(y.equalTo(1.0));
    Column negative = valid.and(y.equalTo(0.0));
    Column predicted = p.geq(threshold);
    Column clipped = least(greatest(p, lit(EPSILON)), lit(1 - EPSILON));
    Column logLoss = when(positive, log(clipped).multiply(-1.0))
        .when(negative, log(lit(1.0).minus(clipped)).multiply(-1.0)).otherwise(0.0);

    WindowSpec set = Window.partitionBy(col("s"));
    List<Row> rows = in.byGroup(binOf(p, bins)).groupBy(col("s"), col("k")).agg(
            count(lit(1)).as("rows"),
            countIf(nullLabel).as("null_labels"),
            countIf(nullProbability).as("null_probabilities"),
            countIf(badLabel).as("bad_labels"),
            countIf(badProbability).as("bad_probabilities"),
            countIf(positive).as("positives"),
            countIf(positive.and(predicted)).as("true_positives"),
            countIf(negative.and(predicted)).as("false_positives"),
            sum(logLoss.cast(EXACT)).as("log_loss"),
            sum(when(valid, p).otherwise(0.0).cast(EXACT)).as("probability"))
        .withColumn("values", count(lit(1)).over(set))
        .withColumn("first", min(col("k")).over(set))
        .where(col("values").leq(maxValues).or(col("k").equalTo(col("first"))))
        .collectAsList();

    Map<GroupKey, GroupCounts> counts = new HashMap<>();
    Map<Integer, Long> values = new HashMap<>();
    Row overall = null;
    for (Row r : rows) {
      GroupKey key = new GroupKey(r.getInt(0), r.getString(1));
      counts.put(key, new GroupCounts(r.getLong(2), r.getLong(7), r.getLong(8), r.getLong(9), decimal(r, 10),
          decimal(r, 11)));
      values.put(key.set(), r.getLong(12));
      if (key.equals(GroupKey.OVERALL)) {
        overall = r;
      }
    }
    if (overall != null) {
      refuse(overall.getLong(3), n -> TrainingErrors.evaluationNulls("label", labelColumn, n));
      refuse(overall.getLong(4), n -> TrainingErrors.evaluationNulls("probability", probabilityColumn, n));
      refuse(overall.getLong(5), n -> TrainingErrors.badLabels(labelColumn, n));
      refuse(overall.getLong(6), n -> TrainingErrors.badProbabilities(probabilityColumn, n));
    }
    for (int i = 0; i < in.sliceColumns().size(); i++) {
      long distinct = values.getOrDefault(i + 1, 0L);
      if (distinct > maxValues) {
        throw TrainingErrors.tooManySliceValues(in.sliceColumns().get(i), distinct, maxValues);
      }
    }
    return counts;
  }

  /**
   * The calibration bin of probability {@code p}: how many of the bins' lower bounds
   * {@code 1/bins, 2/bins, ...} (as the doubles {@link CalibrationBin} reports) it reaches, so a bin
   * holds exactly the probabilities in its [lower, upper), and 1.0 is in the last.
   */
  private static Column binOf(Column p, int bins) {
    Column bin = lit(0);
    for (int i = 1; i < bins; i++) {
      bin = bin.plus(when(p.geq((double) i / bins), 1).otherwise(0));
    }
    return bin;
  }

  private static Column countIf(Column condition) {
    return sum(when(condition, 1L).otherwise(0L));
  }

  private static BigDecimal decimal(Row r, int i) {
    return r.isNullAt(i) ? BigDecimal.ZERO : r.getDecimal(i);
  }

  private static void refuse(long rows, java.util.function.LongFunction<IllegalArgumentException> error) {
    if (rows > 0) {
      throw error.apply(rows);
    }
  }
}
