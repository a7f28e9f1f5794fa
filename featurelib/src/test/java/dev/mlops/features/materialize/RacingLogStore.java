package dev.mlops.features.materialize;

import io.delta.storage.LocalLogStore;
import java.io.IOException;
import java.util.Iterator;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Delta's local log store, which makes the next commits to one armed table wait for each other: each
 * transaction reaches its commit (having read the table and written its files) before any commits,
 * so both commit from the same snapshot, deterministically. Delta uses it for the tables it opens
 * while {@value #CONF} names it in the live SparkConf. It reports partial writes as invisible (they
 * are: it writes a temporary file and renames it), so Delta takes no JVM-wide commit lock that
 * would make the waiting commits deadlock; the exclusive write of a version stays its parent's.
 */
public final class RacingLogStore extends LocalLogStore {
  /** The SparkConf key that makes Delta use this store for {@code file:} tables. */
  static final String CONF = "spark.delta.logStore.file.impl";

  private static volatile String armedLog;
  private static volatile CyclicBarrier barrier;

  public RacingLogStore(Configuration conf) {
    super(conf);
  }

  /** Holds the next {@code racers} commits to the table at {@code location} until all have come. */
  static void arm(String location, int racers) {
    armedLog = new Path(location, "_delta_log").toUri().getPath();
    barrier = new CyclicBarrier(racers, () -> barrier = null);
  }

  static void disarm() {
    barrier = null;
    armedLog = null;
  }

  @Override
  public void write(Path path, Iterator<String> actions, Boolean overwrite, Configuration conf) throws IOException {
    CyclicBarrier b = barrier;
    if (b != null && !overwrite && path.getName().matches("\\d{20}\\.json")
        && path.getParent().toUri().getPath().equals(armedLog)) {
      try {
        b.await(120, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IOException("the racing commits did not all come within 120 s", e);
      }
    }
    super.write(path, actions, overwrite, conf);
  }

  @Override
  public Boolean isPartialWriteVisible(Path path, Configuration conf) {
    return false;
  }
}
