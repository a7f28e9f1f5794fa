package dev.mlops.core.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.testkit.TestPlatform;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sessions of one JVM on two warehouses share Spark's in-memory catalog. Moving a database's
 * registration from one warehouse to the other must never touch the files: Spark's in-memory
 * catalog deletes a database's folder when the database is dropped.
 */
class WarehouseSwitchTest {
  @TempDir Path a;
  @TempDir Path b;

  @Test
  void aSessionOnAnotherWarehouseLeavesTheFirstWarehousesFilesAndTables() {
    TestPlatform first = TestPlatform.create(a);
    Warehouse one = Warehouse.of(first.spark(), first.config());
    TableName items = TableName.parse("shop.items");
    one.write(first.spark().range(3).toDF(), items).commit();
    Path folder = first.warehouse().resolve("shop.db/items/_delta_log");
    assertThat(folder).isDirectory();

    TestPlatform second = TestPlatform.create(b);
    Warehouse two = Warehouse.of(second.spark(), second.config());
    two.write(second.spark().range(5).toDF(), items).commit();
    assertThat(second.spark().sql("SELECT count(*) FROM shop.items").first().getLong(0)).isEqualTo(5);

    assertThat(folder).as("the first warehouse's table, after the second registered its database").isDirectory();
    assertThat(first.spark().sql("SELECT count(*) FROM shop.items").first().getLong(0)).isEqualTo(3);
    assertThat(folder).as("and after the first registered it back").isDirectory();
    assertThat(second.spark().sql("SELECT count(*) FROM shop.items").first().getLong(0)).isEqualTo(5);
  }
}
