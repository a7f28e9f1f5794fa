package dev.mlops.jobs.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The Delta tables of a local warehouse, found on disk as {@code <db>.db/<table>/_delta_log}: those
 * with a commit. Stateless.
 */
public final class WarehouseTables {
  private WarehouseTables() {}

  /** Each table's {@code db.table} name and folder, in name order. */
  public static Map<String, Path> under(Path root) {
    Map<String, Path> tables = new TreeMap<>();
    try (Stream<Path> dbs = Files.list(root)) {
      for (Path db : dbs.filter(d -> d.getFileName().toString().endsWith(".db")).toList()) {
        try (Stream<Path> inDb = Files.list(db)) {
          inDb.filter(WarehouseTables::committed).forEach(t -> tables.put(
              db.getFileName().toString().replaceFirst("\\.db$", "") + "." + t.getFileName(), t));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return tables;
  }

  /** Whether {@code table} has its first commit: a table another process is creating has a log folder before it. */
  private static boolean committed(Path table) {
    return Files.exists(table.resolve("_delta_log/00000000000000000000.json"))
        || Files.exists(table.resolve("_delta_log/_last_checkpoint"));
  }
}
