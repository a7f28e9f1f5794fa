package dev.mlops.training.sets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.TableVersion;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.testkit.TestPlatform;
import dev.mlops.training.spec.ModelSpec.SpineSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pinning a spine query's tables: qualified names after FROM and JOIN, quoted or not, never twice. */
class PinnedSpineTest {
  @TempDir static Path dir;
  static Warehouse warehouse;

  @BeforeAll
  static void tables() {
    TestPlatform platform = TestPlatform.create(dir);
    warehouse = Warehouse.of(platform.spark(), platform.config());
    for (String t : List.of("raw.tx", "raw.tx2")) {
      warehouse.write(platform.spark().range(3).toDF("id"), TableName.parse(t)).commit();
    }
    warehouse.write(platform.spark().range(5).toDF("id"), TableName.parse("raw.tx")).overwriting(false).commit();
  }

  static SpineSpec query(String sql) {
    return new SpineSpec(sql, null, List.of("id"), "t", "y", List.of());
  }

  @Test
  void everyQualifiedTableAfterFromOrJoinIsPinnedOnceAtItsVersion() {
    PinnedSpine p = PinnedSpine.of(warehouse, query("SELECT * FROM raw.tx a JOIN `raw`.`tx2` b ON a.id = b.id"
        + " WHERE a.id IN (SELECT id FROM raw.tx) AND b.id IN (SELECT id FROM raw.tx2 VERSION AS OF 0)"), Map.of());
    assertThat(p.sql()).isEqualTo("SELECT * FROM raw.tx VERSION AS OF 1 a JOIN raw.tx2 VERSION AS OF 0 b ON a.id = b.id"
        + " WHERE a.id IN (SELECT id FROM raw.tx VERSION AS OF 1) AND b.id IN (SELECT id FROM raw.tx2 VERSION AS OF 0)");
    assertThat(p.sources()).containsExactly(new TableVersion(TableName.parse("raw.tx"), 1),
        new TableVersion(TableName.parse("raw.tx2"), 0));
    assertThat(warehouse.spark().sql(p.sql()).count()).as("the pinned query runs").isEqualTo(3);
  }

  @Test
  void givenPinsWinAndNamesThatAreNotTablesStayAsWritten() {
    PinnedSpine p = PinnedSpine.of(warehouse, query("WITH x AS (SELECT * FROM raw.tx) SELECT * FROM x JOIN raw.tx2x ON true"
        + " JOIN raw.tx2 ON true"), Map.of(TableName.parse("raw.tx"), 0L));
    assertThat(p.sql()).isEqualTo("WITH x AS (SELECT * FROM raw.tx VERSION AS OF 0) SELECT * FROM x JOIN raw.tx2x ON true"
        + " JOIN raw.tx2 VERSION AS OF 0 ON true");
  }

  @Test
  void aTableSpineReadsTheWholeTableAtItsVersion() {
    PinnedSpine p = PinnedSpine.of(warehouse, new SpineSpec(null, "raw.tx", List.of("id"), "t", "y", List.of()), Map.of());
    assertThat(p.sql()).isEqualTo("SELECT * FROM raw.tx VERSION AS OF 1");
  }
}
