package dev.mlops.core.spark;

import org.apache.spark.sql.AnalysisException;

/** Short, readable messages from Spark's exceptions. */
public final class SparkErrors {
  private SparkErrors() {}

  /**
   * Spark's message without the query plan it appends to analysis errors; other exceptions' own
   * message (or their type when they have none).
   */
  public static String message(Throwable e) {
    if (e instanceof AnalysisException a) {
      return a.getSimpleMessage();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
