package dev.mlops.jobs.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.jobs.kernel.TableDigest.Canonical;
import dev.mlops.testkit.TestPlatform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delta Kernel, the reader of engines other than Spark, reads what Spark reads: every column type
 * the platform's tables use, partitions, and the table features a platform table could enable
 * (deletion vectors, column mapping, change data feed, checkpoints), at every version. The demo's
 * own tables are read the same way in {@code LauncherIT}.
 */
class KernelReadsTest {
  @TempDir static Path dir;
  static SparkSession spark;
  static KernelTableReader kernel;
  static SparkTableReader sparkReader;

  @BeforeAll
  static void readers() {
    spark = TestPlatform.create(dir).spark();
    kernel = new KernelTableReader();
    sparkReader = new SparkTableReader(spark);
  }

  /** Rows {@code from} to {@code to} of a table with one column of every type, some of them null. */
  static String rows(int from, int to) {
    return "SELECT id, id % 3 = 0 AS flag, CAST(id AS INT) AS i, CAST(id AS SMALLINT) AS s, CAST(id AS TINYINT) AS t,"
        + " CAST(id / 7 AS FLOAT) AS f, IF(id % 5 = 0, NULL, id / 3) AS d, CAST(id * 1.125 AS DECIMAL(12, 3)) AS m,"
        + " IF(id % 4 = 0, NULL, concat('k', id, 'é')) AS str, CAST(concat('b', id) AS BINARY) AS bin,"
        + " date_add(DATE'2026-11-01', CAST(id % 3 AS INT)) AS day,"
        + " timestamp_micros(1790000000000000 + id * 1000001) AS ts, CAST(timestamp_micros(id) AS TIMESTAMP_NTZ) AS ntz,"
        + " array(named_struct('k', 'a', 'v', id * 0.5), named_struct('k', CAST(NULL AS STRING), 'v', 1.0)) AS arr,"
        + " IF(id % 6 = 0, NULL, map('x', id, 'y', -id)) AS mp, named_struct('a', CAST(id AS INT), 'b', array('p', 'q')) AS st,"
        + " array(array(id), array()) AS nested, date_add(DATE'2026-11-01', CAST(id % 2 AS INT)) AS part"
        + " FROM range(" + from + ", " + to + ")";
  }

  static void assertKernelReadsAsSparkAtEveryVersion(String path) {
    long latest = kernel.latestVersion(path);
    assertThat(latest).as("versions of %s", path).isPositive();
    for (long v = 0; v <= latest; v++) {
      KernelTableReader.Read k = kernel.read(path, v);
      KernelTableReader.Read s = sparkReader.read(path, v);
      assertThat(k.columns()).as("%s v%d columns", path, v).isEqualTo(s.columns());
      assertThat(k.digest().rows()).as("%s v%d rows", path, v).isEqualTo(s.digest().rows());
      assertThat(k.digest().checksum()).as("%s v%d checksum", path, v).isEqualTo(s.digest().checksum());
    }
  }

  @Test
  void kernelReadsEveryTypeAndPartitionAsSparkDoesAtEveryVersion() {
    String path = dir.resolve("types").toString();
    spark.sql(rows(0, 40)).write().format("delta").partitionBy("part").save(path);
    spark.sql(rows(40, 55)).write().format("delta").mode("append").partitionBy("part").save(path);
    spark.sql(rows(0, 10)).write().format("delta").mode("overwrite").partitionBy("part").save(path);
    assertKernelReadsAsSparkAtEveryVersion(path);
    assertThat(kernel.read(path, 1).digest().rows()).isEqualTo(55);
  }

  @Test
  void kernelReadsDeletionVectorsChangeDataFeedAndCheckpoints() throws IOException {
    String path = dir.resolve("features").toString();
    spark.sql("CREATE TABLE delta.`" + path + "` USING delta PARTITIONED BY (part) TBLPROPERTIES ("
        + "'delta.enableDeletionVectors' = 'true', 'delta.enableChangeDataFeed' = 'true',"
        + " 'delta.checkpointInterval' = '2') AS " + rows(0, 60));
    spark.sql("DELETE FROM delta.`" + path + "` WHERE id % 7 = 1");
    spark.sql("UPDATE delta.`" + path + "` SET d = -1 WHERE id % 5 = 2");
    assertThat(log(path)).as("the DELETE wrote deletion vectors, and a checkpoint was written")
        .anyMatch(l -> l.contains("\"deletionVector\":{")).anyMatch(l -> l.contains("checkpoint.parquet"));
    assertKernelReadsAsSparkAtEveryVersion(path);
    assertThat(kernel.read(path, kernel.latestVersion(path)).digest().rows()).isEqualTo(60 - 9);
  }

  @Test
  void kernelReadsColumnMappingByLogicalNamesAfterARename() {
    String path = dir.resolve("renamed").toString();
    spark.sql("CREATE TABLE delta.`" + path + "` USING delta TBLPROPERTIES ('delta.columnMapping.mode' = 'name')"
        + " AS " + rows(0, 30));
    spark.sql("ALTER TABLE delta.`" + path + "` RENAME COLUMN str TO label");
    spark.sql("ALTER TABLE delta.`" + path + "` DROP COLUMN bin");
    assertKernelReadsAsSparkAtEveryVersion(path);
    KernelTableReader.Read last = kernel.read(path, kernel.latestVersion(path));
    assertThat(last.columns()).as("the renamed column, by its logical name").contains("label").doesNotContain("str", "bin");
  }

  @Test
  void aChangedValueADroppedRowOrADuplicatedRowChangesTheDigest() {
    List<Object> row = new ArrayList<>(List.of(1L, "a", new Canonical.Date(3)));
    TableDigest base = digest(List.of(row, List.of(2L, "b", new Canonical.Micros(3, false))));
    List<Object> changed = new ArrayList<>(row);
    changed.set(2, new Canonical.Date(4));
    assertThat(digest(List.of(changed, List.of(2L, "b", new Canonical.Micros(3, false)))).checksum())
        .isNotEqualTo(base.checksum());
    assertThat(digest(List.of(List.of(2L, "b", new Canonical.Micros(3, false)), row)).checksum())
        .as("row order does not matter").isEqualTo(base.checksum());
    assertThat(digest(List.of(row, row)).checksum()).as("a duplicated row is not cancelled out")
        .isNotEqualTo(digest(List.of()).checksum());
    assertThat(digest(List.of(List.of(2L, "b", new Canonical.Micros(3, true)))).checksum())
        .as("a timestamp without zone is not one with")
        .isNotEqualTo(digest(List.of(List.of(2L, "b", new Canonical.Micros(3, false)))).checksum());
  }

  static TableDigest digest(List<List<Object>> rows) {
    TableDigest d = new TableDigest();
    rows.forEach(d::add);
    return d;
  }

  static List<String> log(String path) throws IOException {
    try (Stream<Path> files = Files.list(Path.of(path, "_delta_log"))) {
      List<String> lines = new ArrayList<>();
      for (Path f : files.toList()) {
        lines.add(f.getFileName().toString());
        if (f.toString().endsWith(".json")) {
          lines.addAll(Files.readAllLines(f));
        }
      }
      return lines;
    }
  }
}
