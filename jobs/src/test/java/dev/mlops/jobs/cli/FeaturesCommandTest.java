package dev.mlops.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.tables.Json;
import dev.mlops.core.tables.TableName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mlops features historical} in this JVM: a CSV spine, and views read at the Delta version {@code --pin} names. */
class FeaturesCommandTest {
  static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  static final LocalDate TODAY = NOW.atZone(ZoneOffset.UTC).toLocalDate();
  @TempDir static Path dir;
  static CliWarehouse cli;

  @BeforeAll
  static void setUp() {
    cli = CliWarehouse.get();
  }

  static long materialize(double score) {
    return cli.materializeProfiles(NOW, score);
  }

  static List<String> scores(String table) {
    return cli.warehouse.spark().sql("SELECT user_id, score FROM " + table + " ORDER BY user_id").collectAsList()
        .stream().map(Row::toString).toList();
  }

  /** The spine's time: a day ago, as text a CSV holds. */
  static String spineTime() {
    return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC).format(NOW.minus(1, ChronoUnit.DAYS));
  }

  @Test
  void historicalReadsTheViewAtTheDeltaVersionPinGives() throws Exception {
    long pinned = materialize(0.5);
    long current = materialize(0.9);
    assertThat(current).as("materialized twice").isGreaterThan(pinned);
    cli.warehouse.write(cli.warehouse.spark().sql("SELECT id AS user_id, TIMESTAMP'" + spineTime() + "' AS event_ts"
        + " FROM range(1, 3)"), TableName.parse("raw.spine_pinned")).overwriting(true).commit();

    CliWarehouse.Call old = cli.mlops("features", "historical", "--service", "svc", "--spine", "raw.spine_pinned", "--out",
        "raw.hist_pinned", "--pin", "profile=" + pinned, "--json");
    assertThat(old.code()).as("historical; stderr: " + old.err()).isZero();
    JsonNode json = Json.mapper().readTree(old.out());
    assertThat(json.get("pins").get(0).get("delta_version").asLong()).as("the pin recorded").isEqualTo(pinned);
    assertThat(scores("raw.hist_pinned")).as("the values of the pinned version").containsExactly("[1,0.5]", "[2,1.0]");
  }

  @Test
  void historicalTakesACsvSpineWithAHeaderAndTypesItsColumns() throws Exception {
    materialize(0.7);
    Path spine = Files.writeString(dir.resolve("spine.csv"), "user_id,event_ts\n1," + spineTime() + "\n2,"
        + spineTime() + "\n");
    CliWarehouse.Call call = cli.mlops("features", "historical", "--service", "svc", "--spine", spine.toString(), "--out",
        "raw.hist_csv", "--json");
    assertThat(call.code()).as("historical; stderr: " + call.err()).isZero();
    assertThat(Json.mapper().readTree(call.out()).get("rows").asLong()).as("rows").isEqualTo(2);
    assertThat(scores("raw.hist_csv")).as("the CSV's users with the current values")
        .containsExactly("[1,0.7]", "[2,1.4]");
    assertThat(cli.warehouse.spark().table("raw.hist_csv").schema().apply("event_ts").dataType().simpleString())
        .as("the CSV's time column").isEqualTo("timestamp");
    assertThat(cli.warehouse.spark().table("raw.hist_csv").schema().apply("user_id").dataType().simpleString())
        .as("the CSV's int ids, widened to the entity key's type").isEqualTo("bigint");
  }
}
