package dev.mlops.core.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.testkit.TestPlatform;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkJobsTest {
  @TempDir static Path dir;
  static SparkSession spark;

  @BeforeAll
  static void setUp() {
    spark = TestPlatform.create(dir).spark();
  }

  @Test
  void jobsCarryTheLabelsAndTheCallersOwnComeBackAfterwardsEvenOnFailure() throws Exception {
    SparkContext sc = spark.sparkContext();
    List<String> seen = new ArrayList<>();
    SparkListener listener = new SparkListener() {
      @Override
      public void onJobStart(SparkListenerJobStart start) {
        synchronized (seen) {
          seen.add(start.properties().getProperty(SparkJobs.GROUP) + " / " + start.properties().getProperty(SparkJobs.DESCRIPTION));
        }
      }
    };
    sc.addSparkListener(listener);
    try {
      sc.setJobGroup("caller", "the caller's work", false);
      long n = SparkJobs.inGroup(spark, "inner", "counting", () -> SparkJobs.described(spark, "nested count",
          () -> spark.range(3).count()));
      assertThat(n).isEqualTo(3);
      assertThat(sc.getLocalProperty(SparkJobs.GROUP)).as("the caller's group is back").isEqualTo("caller");
      assertThat(sc.getLocalProperty(SparkJobs.DESCRIPTION)).isEqualTo("the caller's work");

      assertThatThrownBy(() -> SparkJobs.inGroup(spark, "failing", "fails", (Runnable) () -> {
        throw new IllegalStateException("boom");
      })).hasMessage("boom");
      assertThat(sc.getLocalProperty(SparkJobs.GROUP)).as("also after a failure").isEqualTo("caller");
      spark.range(2).count();
      sc.listenerBus().waitUntilEmpty();
      synchronized (seen) {
        assertThat(seen).as("the labels each job ran with").containsExactly("inner / nested count", "caller / the caller's work");
      }
    } finally {
      sc.removeSparkListener(listener);
      sc.clearJobGroup();
    }
  }
}
