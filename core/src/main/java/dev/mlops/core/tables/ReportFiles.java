package dev.mlops.core.tables;

import dev.mlops.core.CoreErrors;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes the reports the platform leaves beside its tables (validation's JSON and HTML, the drift
 * page) to a local path or any URI a Hadoop file system reads ({@code file:/}, {@code s3a://},
 * {@code hdfs://}).
 */
public final class ReportFiles {
  private ReportFiles() {}

  /**
   * Writes {@code text} in UTF-8 to {@code uri}, replacing the file and making its folders.
   *
   * @param what what the file is, for the error ({@code drift report})
   * @throws dev.mlops.core.PlatformException naming the file when it cannot be written
   */
  public static void write(String uri, String text, Configuration conf, String what) {
    try {
      Path path = new Path(uri);
      FileSystem fs = path.getFileSystem(conf);
      try (OutputStream out = fs.create(path, true)) {
        out.write(text.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException | IllegalArgumentException e) {
      throw CoreErrors.reportNotWritten(what, uri, e);
    }
  }
}
