package dev.mlops.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of the code that is running: the git commit stamped into the build, with
 * {@code -dirty} when the working tree had uncommitted changes, and the project version.
 *
 * @param commit the full commit id, or {@code unknown} for a build outside git
 * @param dirty whether the build had uncommitted changes
 * @param buildVersion the Maven project version
 * @param sparkVersion the Spark version the build was compiled against
 * @param deltaVersion the Delta Lake version it bundles
 */
public record CodeVersion(String commit, boolean dirty, String buildVersion, String sparkVersion, String deltaVersion) {
  private static final CodeVersion CURRENT = load();

  /** The version of this build. */
  public static CodeVersion current() {
    return CURRENT;
  }

  /** The short commit, with {@code -dirty} when the tree had changes: what run records show. */
  public String label() {
    String shortId = commit.length() > 12 ? commit.substring(0, 12) : commit;
    return dirty ? shortId + "-dirty" : shortId;
  }

  private static CodeVersion load() {
    Properties p = new Properties();
    for (String resource : new String[] {"git.properties", "build.properties"}) {
      try (InputStream in = CodeVersion.class.getResourceAsStream(resource)) {
        if (in != null) {
          p.load(in);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new CodeVersion(
        p.getProperty("git.commit.id.full", p.getProperty("git.commit.id.abbrev", "unknown")),
        Boolean.parseBoolean(p.getProperty("git.dirty", "false")),
        p.getProperty("build.version", "unknown"),
        p.getProperty("spark.version", "unknown"),
        p.getProperty("delta.version", "unknown"));
  }
}
