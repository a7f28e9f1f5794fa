package dev.mlops.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Benchmark data written once: a folder is generated unless it holds a {@code _COMPLETE} marker
 * from an earlier, finished run (generation is deterministic, so the data would be the same).
 */
final class GeneratedData {
  private GeneratedData() {}

  /** Runs {@code write} (which fills {@code folder}) unless {@code folder} is complete, then marks it complete. */
  static void once(SparkSession spark, String folder, Runnable write) {
    try {
      Path marker = new Path(folder + "/_COMPLETE");
      FileSystem fs = marker.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (fs.exists(marker)) {
        return;
      }
      write.run();
      fs.create(marker).close();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the benchmark data in " + folder + ": " + e.getMessage(), e);
    }
  }
}
