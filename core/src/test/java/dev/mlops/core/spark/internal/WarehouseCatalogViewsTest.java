package dev.mlops.core.spark.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.testkit.TestPlatform;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Views of the embedded catalog persist in the warehouse: one created in one process is read by
 * another. Another process is simulated in this JVM by forgetting the view's in-memory
 * registration without touching its file, which is what a new process starts from.
 */
class WarehouseCatalogViewsTest {
  @TempDir static Path dir;
  static TestPlatform platform;

  @BeforeAll
  static void setUp() {
    platform = TestPlatform.create(dir.resolve("a"));
    platform.spark().sql("CREATE DATABASE IF NOT EXISTS shop");
    platform.spark().sql("CREATE TABLE shop.items USING delta AS SELECT id FROM range(5)");
  }

  /** The session, as another process would find it: the view {@code name} not registered in memory. */
  static SparkSession anotherProcess(String name) {
    SparkSession spark = platform.spark();
    PersistedViews.quietly(() -> spark.sql("DROP VIEW IF EXISTS shop." + name));
    return spark;
  }

  @Test
  void aViewCreatedWithSqlIsStoredInTheWarehouseAndReadByAnotherProcess() throws Exception {
    platform.spark().sql("CREATE OR REPLACE VIEW shop.big_items AS SELECT id FROM shop.items WHERE id >= 3");
    Path file = platform.warehouse().resolve("shop.db/_views/big_items.sql");
    assertThat(file).as("the view's SQL text, in its database's folder").hasContent("SELECT id FROM shop.items WHERE id >= 3");
    SparkSession other = anotherProcess("big_items");
    assertThat(other.sql("SELECT count(*) FROM shop.big_items").first().getLong(0)).as("read by name").isEqualTo(2);
    SparkSession third = anotherProcess("big_items");
    assertThat(third.sql("SHOW TABLES IN shop").collectAsList()).extracting(r -> r.getString(1)).as("listed")
        .contains("items", "big_items");
    assertThat(Files.list(platform.warehouse().resolve("shop.db")).map(p -> p.getFileName().toString()))
        .as("the views folder is no table").doesNotContain("big_items");
  }

  @Test
  void aReplacedViewIsRewrittenAndADroppedOneIsGoneForEveryProcess() {
    SparkSession spark = platform.spark();
    spark.sql("CREATE OR REPLACE VIEW shop.small_items AS SELECT id FROM shop.items WHERE id < 2");
    spark.sql("CREATE OR REPLACE VIEW shop.small_items AS SELECT id FROM shop.items WHERE id < 1");
    assertThat(anotherProcess("small_items").sql("SELECT count(*) FROM shop.small_items").first().getLong(0)).isEqualTo(1);
    spark.sql("DROP VIEW shop.small_items");
    assertThat(platform.warehouse().resolve("shop.db/_views/small_items.sql")).doesNotExist();
    SparkSession later = anotherProcess("small_items");
    assertThatThrownBy(() -> later.sql("SELECT * FROM shop.small_items")).hasMessageContaining("TABLE_OR_VIEW_NOT_FOUND");
  }
}
