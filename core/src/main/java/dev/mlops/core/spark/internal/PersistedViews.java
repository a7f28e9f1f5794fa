package dev.mlops.core.spark.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.catalyst.catalog.AlterTableEvent;
import org.apache.spark.sql.catalyst.catalog.CatalogTable;
import org.apache.spark.sql.catalyst.catalog.CatalogTableType;
import org.apache.spark.sql.catalyst.catalog.CreateTableEvent;
import org.apache.spark.sql.catalyst.catalog.DropTableEvent;
import org.apache.spark.sql.catalyst.catalog.ExternalCatalog;
import org.apache.spark.sql.catalyst.catalog.ExternalCatalogEvent;
import org.apache.spark.sql.catalyst.catalog.ExternalCatalogEventListener;
import org.apache.spark.sql.catalyst.catalog.ExternalCatalogWithListener;
import org.apache.spark.sql.classic.SparkSession;

/**
 * The views of the embedded catalog, kept in the warehouse as a Hive metastore keeps them: the
 * SQL text of view {@code d.v} in {@code <root>/d.db/_views/v.sql}, so that a {@code CREATE VIEW}
 * run in one process is seen by every other process on the warehouse.
 *
 * <p>Writing: a listener on the JVM's shared in-memory catalog hears, synchronously, every
 * {@code CREATE VIEW}, {@code ALTER VIEW ... AS} and {@code DROP VIEW} of the session catalog and
 * writes or deletes the file in the folder of the view's database (the location the
 * {@link WarehouseCatalog} registered it with). Reading: the catalog creates a view from its file
 * the first time a session looks the name up or lists its database ({@link #restore}). A view
 * keeps the definition it was created with in a process that already uses it; names inside a view
 * should be qualified ({@code db.table}), as they resolve in the reading session.
 *
 * <p>What it relies on: the classic session's shared {@code ExternalCatalogWithListener} and its
 * event classes ({@code org.apache.spark.sql.catalyst.catalog}); a change fails compilation or
 * {@code WarehouseCatalogViewsTest}. Thread-safe.
 */
final class PersistedViews implements ExternalCatalogEventListener {
  static final String FOLDER = "_views";
  static final String SUFFIX = ".sql";
  private static final Map<ExternalCatalogWithListener, PersistedViews> HOOKED =
      Collections.synchronizedMap(new WeakHashMap<>());
  /** Set while the catalog drops or creates registrations itself: those are no user's CREATE or DROP. */
  private static final ThreadLocal<Boolean> QUIET = ThreadLocal.withInitial(() -> false);

  private final ExternalCatalogWithListener catalog;

  private PersistedViews(ExternalCatalogWithListener catalog) {
    this.catalog = catalog;
  }

  /** Makes the views of the session catalog of {@code spark}'s JVM persist; once per shared catalog. */
  static void hook(SparkSession spark) {
    ExternalCatalogWithListener shared = spark.sharedState().externalCatalog();
    HOOKED.computeIfAbsent(shared, c -> {
      PersistedViews listener = new PersistedViews(c);
      c.addListener(listener);
      return listener;
    });
  }

  /** Runs {@code body} without persisting what it does to views. */
  static void quietly(Runnable body) {
    boolean before = QUIET.get();
    QUIET.set(true);
    try {
      body.run();
    } finally {
      QUIET.set(before);
    }
  }

  @Override
  public void onEvent(ExternalCatalogEvent event) {
    if (QUIET.get()) {
      return;
    }
    if (event instanceof CreateTableEvent e) {
      persist(e.database(), e.name());
    } else if (event instanceof AlterTableEvent e) {
      persist(e.database(), e.name());
    } else if (event instanceof DropTableEvent e) {
      delete(viewFile(catalog, e.database(), e.name()));
    }
  }

  private void persist(String db, String name) {
    CatalogTable table = catalog.getTable(db, name);
    if (table.tableType() != CatalogTableType.VIEW() || table.viewText().isEmpty()) {
      return;
    }
    Path file = viewFile(catalog, db, name);
    if (file != null) {
      write(file, table.viewText().get());
    }
  }

  /** The SQL text of view {@code name} in the database folder {@code databaseUri}, or null if it has none. */
  static String read(String databaseUri, String name) {
    Path file = new Path(databaseUri + "/" + FOLDER + "/" + name + SUFFIX);
    try {
      FileSystem fs = file.getFileSystem(hadoopConf());
      if (!fs.exists(file)) {
        return null;
      }
      try (var in = fs.open(file)) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the view file " + file, e);
    }
  }

  /** The names of the views stored in the database folder {@code databaseUri}. */
  static List<String> names(String databaseUri) {
    List<String> names = new ArrayList<>();
    Path folder = new Path(databaseUri + "/" + FOLDER);
    try {
      FileSystem fs = folder.getFileSystem(hadoopConf());
      if (fs.exists(folder)) {
        for (FileStatus s : fs.listStatus(folder)) {
          String n = s.getPath().getName();
          if (n.endsWith(SUFFIX)) {
            names.add(n.substring(0, n.length() - SUFFIX.length()));
          }
        }
      }
      return names;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the views in " + folder, e);
    }
  }

  /** Creates view {@code db.name} in {@code spark}'s session from its SQL text, unless it is there. */
  static void restore(SparkSession spark, String db, String name, String sql) {
    quietly(() -> spark.sql("CREATE VIEW IF NOT EXISTS `" + db + "`.`" + name + "` AS " + sql));
  }

  private static Path viewFile(ExternalCatalog catalog, String db, String name) {
    if (!catalog.databaseExists(db)) {
      return null;
    }
    String location = catalog.getDatabase(db).locationUri().toString();
    return location.endsWith(".db") || location.endsWith(".db/")
        ? new Path(location.replaceAll("/$", "") + "/" + FOLDER + "/" + name + SUFFIX) : null;
  }

  private static void write(Path file, String sql) {
    try {
      FileSystem fs = file.getFileSystem(hadoopConf());
      Path tmp = new Path(file.getParent(), "." + file.getName() + "." + System.nanoTime() + ".tmp");
      try (FSDataOutputStream out = fs.create(tmp, true)) {
        out.write(sql.getBytes(StandardCharsets.UTF_8));
      }
      fs.delete(file, false);
      if (!fs.rename(tmp, file)) {
        throw new IOException("rename of " + tmp + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the view file " + file, e);
    }
  }

  private static void delete(Path file) {
    if (file == null) {
      return;
    }
    try {
      file.getFileSystem(hadoopConf()).delete(file, false);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete the view file " + file, e);
    }
  }

  private static Configuration hadoopConf() {
    return SparkSession.active().sessionState().newHadoopConf();
  }
}
