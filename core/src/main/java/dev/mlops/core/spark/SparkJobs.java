package dev.mlops.core.spark;

import java.util.function.Supplier;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Labels the Spark jobs a piece of work starts, so that the Spark UI reads like the code: a job
 * group and a description while the work runs, then the calling thread's own labels back (Spark
 * keeps them in thread-local properties, which a nested call must not wipe).
 *
 * <p>The one way the platform labels jobs. Thread-safe: the labels are the calling thread's.
 */
public final class SparkJobs {
  static final String GROUP = "spark.jobGroup.id";
  static final String DESCRIPTION = "spark.job.description";
  static final String INTERRUPT = "spark.job.interruptOnCancel";

  private SparkJobs() {}

  /**
   * Runs {@code body} with its jobs in group {@code group}, described as {@code description}, then
   * restores the thread's group and description, whether {@code body} returns or throws.
   */
  public static <T> T inGroup(SparkSession spark, String group, String description, Supplier<T> body) {
    SparkContext sc = spark.sparkContext();
    String[] before = {sc.getLocalProperty(GROUP), sc.getLocalProperty(DESCRIPTION), sc.getLocalProperty(INTERRUPT)};
    sc.setJobGroup(group, description, false);
    try {
      return body.get();
    } finally {
      sc.setLocalProperty(GROUP, before[0]);
      sc.setLocalProperty(DESCRIPTION, before[1]);
      sc.setLocalProperty(INTERRUPT, before[2]);
    }
  }

  /** As {@link #inGroup(SparkSession, String, String, Supplier)}, for work that returns nothing. */
  public static void inGroup(SparkSession spark, String group, String description, Runnable body) {
    inGroup(spark, group, description, () -> {
      body.run();
      return null;
    });
  }

  /**
   * Runs {@code body} with its jobs described as {@code description}, in the thread's current
   * group, then restores the thread's description.
   */
  public static <T> T described(SparkSession spark, String description, Supplier<T> body) {
    SparkContext sc = spark.sparkContext();
    String before = sc.getLocalProperty(DESCRIPTION);
    sc.setJobDescription(description);
    try {
      return body.get();
    } finally {
      sc.setLocalProperty(DESCRIPTION, before);
    }
  }
}
