package dev.mlops.core.tables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.spark.Identifiers;
import dev.mlops.testkit.TestPlatform;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WarehouseWritesTest {
  @TempDir static Path dir;
  static Warehouse warehouse;
  /** Where the small tmpfs of the full-disk test is mounted, or null. */
  static Path smallDisk;

  @BeforeAll
  static void setUp() {
    TestPlatform p = TestPlatform.create(dir);
    warehouse = Warehouse.of(p.spark(), p.config());
  }

  @AfterAll
  static void unmountTheSmallDisk() throws Exception {
    if (smallDisk != null) {
      new ProcessBuilder("umount", "--lazy", smallDisk.toString()).inheritIO().start().waitFor();
    }
  }

  /**
   * A warehouse on a disk that fills (a 4 MB tmpfs): the write that runs out of space fails naming
   * it and the table, as the CLI prints it, and the version before stays readable and intact.
   */
  @Test
  void aWriteThatRunsOutOfSpaceFailsNamingItAndTheTableAndThePreviousVersionStaysIntact() throws Exception {
    Path disk = java.nio.file.Files.createDirectories(dir.resolve("small-disk"));
    Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", disk.toString())
        .redirectErrorStream(true).start();
    String refusal = new String(mount.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
    Assumptions.assumeTrue(mount.waitFor() == 0, "a small tmpfs cannot be mounted here (mount needs root or"
        + " CAP_SYS_ADMIN): " + refusal);
    smallDisk = disk;
    TestPlatform p = TestPlatform.create(disk);
    Warehouse onSmallDisk = Warehouse.of(p.spark(), p.config());
    TableName table = new TableName("raw", "filled");
    onSmallDisk.write(p.spark().range(100).selectExpr("id", "'x' AS pad"), table).commit();
    // About 40 MB of incompressible text, ten times the disk.
    Dataset<Row> big = p.spark().range(0, 300_000, 1, 2).selectExpr("id", "sha2(CAST(id AS string), 512) AS pad");
    String location = onSmallDisk.location(table);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> onSmallDisk.write(big, table).commit())
        .isInstanceOf(dev.mlops.core.PlatformException.class)
        .hasMessage("Cannot write raw.filled at " + location + ": no space left on the device (No space left on device);"
            + " nothing was committed, and the table keeps its previous version. Free space on that device or move the"
            + " warehouse (warehouse.root), then run the job again");
    assertThat(onSmallDisk.current(table).version()).as("no version committed").isZero();
    Row kept = p.spark().read().format("delta").load(location).selectExpr("count(*)", "sum(id)", "min(pad)", "max(pad)")
        .first();
    assertThat(kept.toString()).as("the version before, intact").isEqualTo("[100,4950,x,x]");
  }

  @Test
  void concurrentMergesInOneJvmEachCommitTheirOwnMetadata() throws Exception {
    int writers = 2;
    int commits = 4;
    CyclicBarrier barrier = new CyclicBarrier(writers);
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    List<Future<List<TableVersion>>> done = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      TableName table = new TableName("raw", "merged_by_" + w);
      String writer = "writer-" + w;
      done.add(pool.submit(() -> {
        warehouse.write(keyed(0), table).commit();
        List<TableVersion> written = new ArrayList<>();
        for (int i = 1; i <= commits; i++) {
          barrier.await();
          written.add(warehouse.upsert(keyed(i), table, List.of("k"), Map.of("writer", writer, "commit", String.valueOf(i))));
        }
        return written;
      }));
    }
    for (int w = 0; w < writers; w++) {
      List<TableVersion> written = done.get(w).get();
      assertThat(written).hasSize(commits);
      for (int i = 0; i < commits; i++) {
        assertThat(warehouse.commitInfo(written.get(i)).get("userMetadata"))
            .as("commit %d of writer %d carries that writer's metadata, whatever the other thread committed", i + 1, w)
            .isEqualTo(Json.write(Map.of("writer", "writer-" + w, "commit", String.valueOf(i + 1))));
      }
    }
    pool.shutdown();
    assertThat(warehouse.spark().conf().getOption(Warehouse.USER_METADATA).isDefined())
        .as("the caller's session never gets the commit metadata").isFalse();
  }

  @Test
  void aKeyColumnWithABacktickInItsNameIsMergedAndDeletedByName() {
    StructType schema = new StructType().add("a`b", DataTypes.LongType).add("v", DataTypes.StringType);
    TableName table = TableName.parse("raw.backticks");
    warehouse.write(warehouse.spark().createDataFrame(List.of(RowFactory.create(1L, "one"), RowFactory.create(2L, "two")),
        schema), table).commit();
    warehouse.upsert(warehouse.spark().createDataFrame(List.of(RowFactory.create(2L, "TWO"), RowFactory.create(3L, "three")),
        schema), table, List.of("a`b"), Map.of());
    warehouse.deleteMatching(table, warehouse.spark().createDataFrame(List.of(RowFactory.create(1L, "one")), schema),
        List.of("a`b", "v"), Map.of());

    List<Row> rows = warehouse.read(table).orderBy(Identifiers.column("a`b")).collectAsList();
    assertThat(rows).extracting(r -> r.getLong(0) + "=" + r.getString(1)).as("upserted on a`b, then one row deleted")
        .containsExactly("2=TWO", "3=three");
    assertThat(warehouse.spark().sql("SELECT " + Identifiers.quote("a`b") + " FROM " + table + " WHERE v = 'TWO'")
        .first().getLong(0)).isEqualTo(2L);
  }

  private static Dataset<Row> keyed(int i) {
    return warehouse.spark().createDataFrame(List.of(RowFactory.create((long) (i % 3), "v" + i)),
        new StructType().add("k", DataTypes.LongType).add("v", DataTypes.StringType));
  }
}
