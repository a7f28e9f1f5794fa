package dev.mlops.testkit;

import java.util.Properties;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;

/**
 * Counts the Spark jobs a piece of test code starts, with a {@link SparkListener} on the
 * session's SparkContext, as Deequ's tests do to prove that work shares one pass:
 *
 * <pre>{@code
 * spark.conf().set("spark.sql.adaptive.enabled", "false"); // one job per action
 * assertThat(SparkJobs.countWhile(spark, () -> runner.run(data))).isEqualTo(1);
 * }</pre>
 *
 * <p>Only static methods. Not for concurrent use: every session of the test JVM shares one
 * SparkContext, so the jobs other threads start meanwhile are counted too (a description prefix
 * narrows the count to the code under test).
 */
public final class SparkJobs {
  private static final long WAIT_MILLIS = 10_000;

  private SparkJobs() {}

  /** The number of Spark jobs started while {@code body} runs. */
  public static int countWhile(SparkSession spark, Runnable body) throws TimeoutException {
    return count(spark, job -> true, body);
  }

  /**
   * The number of Spark jobs started while {@code body} runs whose description (as set by
   * {@code SparkContext.setJobDescription}) starts with {@code descriptionPrefix}.
   */
  public static int countWhile(SparkSession spark, String descriptionPrefix, Runnable body) throws TimeoutException {
    return count(spark, job -> String.valueOf(job.getProperty("spark.job.description")).startsWith(descriptionPrefix),
        body);
  }

  private static int count(SparkSession spark, Predicate<Properties> counted, Runnable body) throws TimeoutException {
    AtomicInteger jobs = new AtomicInteger();
    SparkListener listener = new SparkListener() {
      @Override
      public void onJobStart(SparkListenerJobStart jobStart) {
        if (counted.test(jobStart.properties())) {
          jobs.incrementAndGet();
        }
      }
    };
    // Jobs still queued from earlier code must not reach the listener; this body's must all have.
    spark.sparkContext().listenerBus().waitUntilEmpty(WAIT_MILLIS);
    spark.sparkContext().addSparkListener(listener);
    try {
      body.run();
      spark.sparkContext().listenerBus().waitUntilEmpty(WAIT_MILLIS);
    } finally {
      spark.sparkContext().removeSparkListener(listener);
    }
    return jobs.get();
  }
}
