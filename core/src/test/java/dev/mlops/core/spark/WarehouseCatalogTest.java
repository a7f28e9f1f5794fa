package dev.mlops.core.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.testkit.SharedSpark;
import dev.mlops.testkit.TestPlatform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WarehouseCatalogTest {
  @TempDir static Path dir;
  static TestPlatform platform;
  static SparkSession spark;

  @BeforeAll
  static void setUp() {
    platform = TestPlatform.create(dir);
    spark = platform.spark();
  }

  @Test
  void tablesCreatedWithSqlLiveInTheirWarehouseFolderAndTimeTravel() {
    spark.sql("CREATE DATABASE IF NOT EXISTS sandbox");
    spark.sql("CREATE TABLE sandbox.numbers USING delta AS SELECT id FROM range(3)");
    spark.sql("INSERT INTO sandbox.numbers SELECT id FROM range(5)");
    assertThat(Files.isDirectory(platform.warehouse().resolve("sandbox.db/numbers/_delta_log"))).isTrue();
    assertThat(count("SELECT count(*) FROM sandbox.numbers")).isEqualTo(8);
    assertThat(count("SELECT count(*) FROM sandbox.numbers VERSION AS OF 0")).isEqualTo(3);
    assertThat(spark.sql("DESCRIBE HISTORY sandbox.numbers").count()).isEqualTo(2);
  }

  @Test
  void deltaTablesThatAppearInTheWarehouseAreFoundByName() {
    // As when another process writes a table after this session started.
    String path = platform.warehouse().resolve("features.db/by_path").toUri().toString();
    spark.range(4).write().format("delta").save(path);
    assertThat(count("SELECT count(*) FROM features.by_path")).isEqualTo(4);
    List<Row> tables = spark.sql("SHOW TABLES IN features").collectAsList();
    assertThat(tables).extracting(r -> r.getString(1)).contains("by_path");
  }

  @Test
  void aNewSessionOnTheSameWarehouseSeesEveryTable() {
    Warehouse warehouse = Warehouse.of(spark, platform.config());
    warehouse.write(spark.range(6).toDF(), TableName.parse("raw.seen_later")).commit();
    SparkSession fresh = SparkSessions.newSessionFor(SharedSpark.get(), platform.config());
    assertThat(fresh.sql("SELECT count(*) FROM raw.seen_later").first().getLong(0)).isEqualTo(6);
    assertThat(fresh.sql("SHOW DATABASES").collectAsList()).extracting(r -> r.getString(0)).contains("raw");
  }

  @Test
  void droppingATableRemovesItsFolder() {
    spark.sql("CREATE DATABASE IF NOT EXISTS scratch");
    spark.sql("CREATE TABLE scratch.gone USING delta AS SELECT 1 AS x");
    Path folder = platform.warehouse().resolve("scratch.db/gone");
    assertThat(Files.exists(folder)).isTrue();
    spark.sql("DROP TABLE scratch.gone");
    assertThat(Files.exists(folder)).as("a dropped table does not come back in the next session").isFalse();
    assertThat(spark.catalog().tableExists("scratch.gone")).isFalse();
  }

  @Test
  void renamingIsRefusedWithTheWayOut() {
    spark.sql("CREATE DATABASE IF NOT EXISTS scratch");
    spark.sql("CREATE TABLE scratch.named USING delta AS SELECT 1 AS x");
    assertThatThrownBy(() -> spark.sql("ALTER TABLE scratch.named RENAME TO scratch.renamed"))
        .hasMessageContaining("Cannot rename")
        .hasMessageContaining("CREATE TABLE");
  }

  private static long count(String sql) {
    return spark.sql(sql).first().getLong(0);
  }
}
