package dev.mlops.core.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.CodeVersion;
import dev.mlops.core.config.ConfigFile;
import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.TableVersion;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.testkit.TestPlatform;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunRecorderTest {
  private static final Instant NOW = Instant.parse("2026-11-01T02:00:00Z");
  private static final CodeVersion CODE = new CodeVersion("0123456789abcdef0123", true, "1.0", "4.1.0", "4.2.0");

  @TempDir static Path dir;
  static Warehouse warehouse;
  static RunRecorder runs;

  @BeforeAll
  static void setUp() {
    TestPlatform p = TestPlatform.create(dir);
    warehouse = Warehouse.of(p.spark(), p.config());
    ConfigFile file = new ConfigFile(dir.resolve("local.yaml"), "conf/local.yaml", "ab".repeat(32), p.config());
    runs = new RunRecorder(warehouse, file, Clock.fixed(NOW, ZoneOffset.UTC), CODE);
  }

  @Test
  void aSucceededRunRecordsItsInputsOutputsAndVersions() {
    TableName source = TableName.parse("raw.src_ok");
    TableName target = TableName.parse("features.out_ok");
    warehouse.write(warehouse.spark().range(5).toDF(), source).commit();
    warehouse.write(warehouse.spark().range(7).toDF(), source).commit();

    String runId = runs.run("features.materialize", List.of("--view", "v"), run -> {
      long n = run.read(source).count();
      TableVersion out = warehouse.write(warehouse.spark().range(n).toDF(), target).commitInfo(run.commitInfo()).commit();
      run.output(out);
      return run.runId();
    });

    Row r = warehouse.spark().sql("SELECT job, args, config_file, config_hash, code_version, inputs, outputs, status,"
        + " started_at, error FROM ops.runs WHERE run_id = '" + runId + "'").first();
    assertThat(r.getString(0)).isEqualTo("features.materialize");
    assertThat(r.<String>getList(1)).containsExactly("--view", "v");
    assertThat(r.getString(2)).isEqualTo("conf/local.yaml");
    assertThat(r.getString(3)).isEqualTo("ab".repeat(32));
    assertThat(r.getString(4)).isEqualTo("0123456789ab-dirty");
    assertThat(r.<Row>getList(5)).extracting(x -> x.getString(0) + "@" + x.getLong(1)).containsExactly("raw.src_ok@1");
    assertThat(r.<Row>getList(6)).extracting(x -> x.getString(0) + "@" + x.getLong(1)).containsExactly("features.out_ok@0");
    assertThat(r.getString(7)).isEqualTo("SUCCEEDED");
    assertThat(r.getTimestamp(8).toInstant()).isEqualTo(NOW);
    assertThat(r.isNullAt(9)).isTrue();
    assertThat(warehouse.commitInfo(new TableVersion(target, 0)).get("userMetadata")).contains("\"run_id\":\"" + runId + "\"");
    assertThat(warehouse.read(target).count()).as("the run read the source at version 1").isEqualTo(12);
  }

  @Test
  void aFailedRunIsRecordedWithItsErrorAndTheErrorIsRethrown() {
    assertThatThrownBy(() -> runs.run("train", List.of(), run -> {
      throw new IllegalStateException("label column is_fraud is missing");
    })).hasMessage("label column is_fraud is missing");
    Row r = warehouse.spark().sql("SELECT status, error FROM ops.runs WHERE job = 'train'").first();
    assertThat(r.getString(0)).isEqualTo("FAILED");
    assertThat(r.getString(1)).isEqualTo("label column is_fraud is missing");
  }

  @Test
  void readingAMissingTableFailsNamingIt() {
    assertThatThrownBy(() -> runs.run("score", List.of(), run -> run.read(TableName.parse("raw.nope"))))
        .hasMessageStartingWith("Table raw.nope does not exist in the warehouse");
  }
}
