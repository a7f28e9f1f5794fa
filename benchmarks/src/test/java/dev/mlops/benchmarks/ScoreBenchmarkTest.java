package dev.mlops.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.testkit.TestPlatform;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scoring benchmarks' row-by-row comparison of predictions (bench score: ours against the bare
 * transform; bench explain: with explanations against without). The whole runs need a trained
 * model and are covered by {@code mlops bench all --quick}.
 */
class ScoreBenchmarkTest {
  @TempDir Path dir;

  @Test
  void predictionsAreComparedRowByRow() {
    SparkSession spark = TestPlatform.create(dir).spark();
    Dataset<Row> ours = predictions(spark, "(1L, 0.25D, 0), (2L, 0.75D, 1), (3L, 0.5D, 1)");
    assertThat(ScoreBenchmark.compare(ours, predictions(spark, "(3L, 0.5D, 1), (1L, 0.25D, 0), (2L, 0.75D, 1)"), 5).agrees())
        .as("the same predictions in another order").isTrue();
    OutputComparison score = ScoreBenchmark.compare(ours, predictions(spark, "(1L, 0.25D, 0), (2L, 0.7500001D, 1), (3L, 0.5D, 1)"), 5);
    assertThat(score.agrees()).as("a score in the seventh digit").isFalse();
    assertThat(score.mismatches()).containsExactly(
        "prediction differs (ours id, score, label; baseline's): [2,0.75,1,2,0.7500001,1]", "1 predictions differ in all");
    OutputComparison missing = ScoreBenchmark.compare(ours, predictions(spark, "(1L, 0.25D, 0), (2L, 0.75D, 1)"), 5);
    assertThat(missing.mismatches()).as("a row only ours has").hasSize(2);
    OutputComparison label = ScoreBenchmark.compare(ours, predictions(spark, "(1L, 0.25D, 1), (2L, 0.75D, 1), (3L, 0.5D, 1)"), 5);
    assertThat(label.agrees()).as("another label").isFalse();
  }

  private static Dataset<Row> predictions(SparkSession spark, String values) {
    return spark.sql("SELECT * FROM VALUES " + values + " AS t(transaction_id, score, predicted_label)");
  }
}
