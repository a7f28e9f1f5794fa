package dev.mlops.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Delta's log store for {@code file:} paths, except that the commit of one table never happens:
 * when the process is about to write a new version of the table whose folder ends with the system
 * property {@value #TABLE} ({@code /raw.db/transactions}), it writes the commit's actions to the
 * file named by {@value #MARKER} and then waits forever. The data files of that commit are written
 * by then (Delta writes them before the commit), the log is not: a test that kills the process once
 * the marker exists kills it in the middle of the table's write, on every machine, at no cost in
 * sleeps. Plugged in with {@code spark.delta.logStore.file.impl}, in {@code spark.settings} of the
 * platform config, by tests that start the CLI with the test classes on its classpath.
 *
 * <p>Test code.
 */
public final class CommitHoldingLogStore extends io.delta.storage.LocalLogStore {
  static final String TABLE = "mlops.test.hold-commit.table";
  static final String MARKER = "mlops.test.hold-commit.marker";
  private static final Pattern COMMIT = Pattern.compile("\\d{20}\\.json");

  public CommitHoldingLogStore(Configuration conf) {
    super(conf);
  }

  @Override
  public void write(Path path, Iterator<String> actions, Boolean overwrite, Configuration conf) throws IOException {
    String table = System.getProperty(TABLE);
    if (table != null && !overwrite && COMMIT.matcher(path.getName()).matches()
        && path.getParent().getParent().toUri().getPath().endsWith(table)) {
      List<String> lines = new ArrayList<>();
      lines.add(path.toUri().getPath());
      actions.forEachRemaining(lines::add);
      java.nio.file.Path marker = java.nio.file.Path.of(System.getProperty(MARKER));
      java.nio.file.Path partial = marker.resolveSibling(marker.getFileName() + ".partial");
      Files.write(partial, lines);
      Files.move(partial, marker, StandardCopyOption.ATOMIC_MOVE);
      holdForever();
    }
    super.write(path, actions, overwrite, conf);
  }

  private static void holdForever() {
    Object never = new Object();
    synchronized (never) {
      while (true) {
        try {
          never.wait();
        } catch (InterruptedException e) {
          // held all the same: only the kill ends this
        }
      }
    }
  }
}
