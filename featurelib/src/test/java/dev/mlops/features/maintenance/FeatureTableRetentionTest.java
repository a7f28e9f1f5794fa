package dev.mlops.features.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.TableVersion;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.testkit.TestPlatform;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureTableRetentionTest {
  @TempDir static Path dir;
  static SparkSession spark;
  static Warehouse w;

  @BeforeAll
  static void setUp() {
    TestPlatform platform = TestPlatform.create(dir);
    spark = platform.spark();
    w = Warehouse.of(spark, platform.config());
  }

  /** A new feature-like table (Change Data Feed on) with one commit of three rows. */
  private static TableName table(String name) {
    TableName t = new TableName("features", name);
    w.write(spark.range(3).selectExpr("id", "id * 10 AS v"), t).creationProperty("delta.enableChangeDataFeed", "true").commit();
    return t;
  }

  private static Map<String, String> properties(TableName t) {
    return spark.sql("SHOW TBLPROPERTIES " + t).collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getString(0), r -> r.getString(1)));
  }

  @Test
  void aNewTableHasDeltasDefaults() {
    TableName t = table("defaults");
    assertThat(FeatureTableRetention.current(w, t)).as("Delta's defaults: 30 days of log, 7 days of removed files")
        .isEqualTo(new TableRetention(Duration.ofDays(30), Duration.ofDays(7)));
  }

  @Test
  void bothPropertiesAreRaisedInOneCommitWhenShorter() {
    TableName t = table("raise_both");
    TableVersion before = w.current(t);
    RetentionChange c = FeatureTableRetention.ensureAtLeast(w, t, Duration.ofDays(90));

    assertThat(c.changed()).isTrue();
    assertThat(c.properties()).containsExactly(Map.entry("delta.logRetentionDuration", "interval 90 days"),
        Map.entry("delta.deletedFileRetentionDuration", "interval 90 days"));
    assertThat(c.before()).isEqualTo(new TableRetention(Duration.ofDays(30), Duration.ofDays(7)));
    assertThat(c.after()).isEqualTo(new TableRetention(Duration.ofDays(90), Duration.ofDays(90)));
    assertThat(c.committed()).as("one commit, the next version").contains(new TableVersion(t, before.version() + 1));
    assertThat(w.current(t)).isEqualTo(c.committed().orElseThrow());
    assertThat(FeatureTableRetention.current(w, t)).isEqualTo(c.after());
    assertThat(properties(t)).as("other properties are kept")
        .containsEntry("delta.logRetentionDuration", "interval 90 days")
        .containsEntry("delta.deletedFileRetentionDuration", "interval 90 days")
        .containsEntry("delta.enableChangeDataFeed", "true");
    Row history = spark.sql("DESCRIBE HISTORY " + t).where("version = " + c.committed().orElseThrow().version())
        .select("operation").first();
    assertThat(history.getString(0)).isEqualTo("SET TBLPROPERTIES");
    assertThat(w.read(t).orderBy("id").collectAsList()).extracting(r -> r.getLong(0) + ":" + r.getLong(1))
        .as("the data is untouched").containsExactly("0:0", "1:10", "2:20");
  }

  @Test
  void aRetentionIsNeverLoweredAndAnUnchangedOneCommitsNothing() {
    TableName t = table("never_lower");
    FeatureTableRetention.ensureAtLeast(w, t, Duration.ofDays(90));
    TableVersion raised = w.current(t);

    RetentionChange again = FeatureTableRetention.ensureAtLeast(w, t, Duration.ofDays(90));
    RetentionChange shorter = FeatureTableRetention.ensureAtLeast(w, t, Duration.ofDays(10));

    assertThat(again.changed()).as("idempotent").isFalse();
    assertThat(again.properties()).isEmpty();
    assertThat(again.committed()).isEmpty();
    assertThat(shorter.changed()).as("never shortened").isFalse();
    assertThat(shorter.before()).isEqualTo(shorter.after()).isEqualTo(new TableRetention(Duration.ofDays(90), Duration.ofDays(90)));
    assertThat(w.current(t)).as("no new version when nothing changes").isEqualTo(raised);
    assertThat(properties(t)).containsEntry("delta.logRetentionDuration", "interval 90 days")
        .containsEntry("delta.deletedFileRetentionDuration", "interval 90 days");
  }

  @Test
  void onlyTheShorterPropertyIsRaised() {
    TableName t = table("raise_files");
    RetentionChange c = FeatureTableRetention.ensureAtLeast(w, t, Duration.ofDays(14));
    assertThat(c.properties()).as("30 days of log is already enough")
        .containsExactly(Map.entry("delta.deletedFileRetentionDuration", "interval 14 days"));
    assertThat(c.after()).isEqualTo(new TableRetention(Duration.ofDays(30), Duration.ofDays(14)));
    assertThat(properties(t)).doesNotContainKey("delta.logRetentionDuration");
  }

  @Test
  void aRetentionOfPartDaysIsSetInHoursRoundedUp() {
    TableName t = table("raise_hours");
    RetentionChange c = FeatureTableRetention.ensureAtLeast(w, t, Duration.ofHours(200).plusMinutes(30));
    assertThat(c.properties()).containsExactly(Map.entry("delta.deletedFileRetentionDuration", "interval 201 hours"));
    assertThat(FeatureTableRetention.current(w, t).deletedFiles()).isEqualTo(Duration.ofHours(201));
  }

  @Test
  void aMissingTableOrANonPositiveRetentionIsRefusedSayingWhatToDo() {
    TableName t = table("refused");
    assertThatThrownBy(() -> FeatureTableRetention.ensureAtLeast(w, TableName.parse("features.nope"), Duration.ofDays(1)))
        .hasMessageStartingWith("Table features.nope does not exist in the warehouse; run the job that creates it first");
    assertThatThrownBy(() -> FeatureTableRetention.ensureAtLeast(w, t, Duration.ZERO))
        .hasMessage("Cannot raise the history retention of features.refused to 0s: the retention must be a positive"
            + " duration, for example 90d");
    assertThat(w.current(t).version()).isZero();
  }
}
