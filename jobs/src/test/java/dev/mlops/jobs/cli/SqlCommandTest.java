package dev.mlops.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.tables.Json;
import dev.mlops.core.tables.TableName;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code mlops sql} in this JVM on real Delta tables: {@code --limit} and {@code truncated}, repeated
 * column names in JSON, time travel by timestamp.
 */
class SqlCommandTest {
  static CliWarehouse cli;

  @BeforeAll
  static void setUp() {
    cli = CliWarehouse.get();
  }

  static JsonNode json(CliWarehouse.Call call) throws Exception {
    assertThat(call.code()).as("exit code; stderr: " + call.err()).isZero();
    return Json.mapper().readTree(call.out());
  }

  @Test
  void limitCutsTheRowsAndTheJsonSaysWhetherItDid() throws Exception {
    TableName t = TableName.parse("raw.sql_limit");
    cli.warehouse.write(cli.warehouse.spark().range(5).selectExpr("id", "CAST(id * 10 AS INT) AS x"), t).overwriting(true)
        .commit();
    JsonNode cut = json(cli.mlops("sql", "SELECT id, x FROM raw.sql_limit ORDER BY id", "--limit", "2", "--json"));
    assertThat(cut.get("columns").toString()).isEqualTo("[\"id\",\"x\"]");
    assertThat(cut.get("rows").toString()).as("the first two rows").isEqualTo("[{\"id\":0,\"x\":0},{\"id\":1,\"x\":10}]");
    assertThat(cut.get("truncated").asBoolean()).as("truncated at 2 of 5").isTrue();
    JsonNode whole = json(cli.mlops("sql", "SELECT id FROM raw.sql_limit", "--limit", "5", "--json"));
    assertThat(whole.get("rows")).as("rows").hasSize(5);
    assertThat(whole.get("truncated").asBoolean()).as("5 of 5 is not truncated").isFalse();
  }

  @Test
  void columnsOfOneNameKeepEveryValueInTheJson() throws Exception {
    JsonNode r = json(cli.mlops("sql", "SELECT 1 AS n, 2 AS n, 3 AS `n.1`, 4 AS n", "--json"));
    assertThat(r.get("columns").toString()).isEqualTo("[\"n\",\"n.2\",\"n.1\",\"n.3\"]");
    assertThat(r.get("rows").toString()).isEqualTo("[{\"n\":1,\"n.1\":3,\"n.2\":2,\"n.3\":4}]");
  }

  @Test
  void timestampAsOfReadsTheTableAsItWasThen() throws Exception {
    TableName t = TableName.parse("raw.sql_travel");
    cli.warehouse.write(cli.warehouse.spark().range(3).toDF(), t).overwriting(true).commit();
    String then = cli.warehouse.spark().sql("DESCRIBE HISTORY raw.sql_travel").where("version = 0")
        .selectExpr("CAST(timestamp AS STRING)").first().getString(0);
    cli.warehouse.write(cli.warehouse.spark().range(3, 10).toDF(), t).appending().commit();
    JsonNode now = json(cli.mlops("sql", "SELECT count(*) AS n FROM raw.sql_travel", "--json"));
    assertThat(now.get("rows").get(0).get("n").asLong()).as("rows now").isEqualTo(10);
    JsonNode old = json(cli.mlops("sql", "SELECT count(*) AS n FROM raw.sql_travel TIMESTAMP AS OF '" + then + "'", "--json"));
    assertThat(old.get("rows").get(0).get("n").asLong()).as("rows as of version 0's commit, " + then).isEqualTo(3);
  }
}
