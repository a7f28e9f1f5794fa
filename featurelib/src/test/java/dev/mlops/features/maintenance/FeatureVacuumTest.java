package dev.mlops.features.maintenance;

import static dev.mlops.features.FeatureFixtures.ts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.PlatformException;
import dev.mlops.core.spark.SparkSessions;
import dev.mlops.core.tables.Json;
import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.TableVersion;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.features.FeatureFixtures;
import dev.mlops.features.FeatureStore;
import dev.mlops.features.TablePin;
import dev.mlops.features.materialize.MaterializationResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureVacuumTest {
  private static final StructType SCHEMA = new StructType().add("id", DataTypes.LongType).add("v", DataTypes.StringType);
  private static final long HOUR = 3_600_000_000L;
  private static final long HOUR_MS = 3_600_000L;
  private static final long D0 = Instant.parse("2026-06-01T00:00:00Z").getEpochSecond() * 1_000_000L;
  private static final String REPO = """
      entities:
        - {name: item, join-keys: [{name: item_id, type: bigint}]}
      sources:
        - {name: prices, table: raw.prices, event-time: ts}
      feature-views:
        - name: price
          version: 1
          entities: [item]
          sources: [prices]
          ttl: 2d
          sql: SELECT item_id, ts, price FROM prices
          event-time: ts
          features:
            - {name: price, type: double}
      """;
  private static final StructType PRICES = new StructType().add("item_id", DataTypes.LongType)
      .add("ts", DataTypes.TimestampType).add("price", DataTypes.DoubleType);

  @TempDir static Path dir;
  static FeatureFixtures fx;
  /** The tests' own writes and reads: Delta's retention check on, as in production. */
  static Warehouse w;
  /**
   * For vacuums only: a clone of the session with Delta's retention check off. Tombstones written
   * by the test are seconds old; {@code retain = 0h} (or a few hours) makes them "old" without
   * waiting a week, and Delta refuses a retention under the table's 168h unless the check is off.
   * The caller's session is never changed.
   */
  static Warehouse lenient;

  @BeforeAll
  static void setUp() {
    fx = new FeatureFixtures(dir, Instant.parse("2026-06-10T00:00:00Z")).files(Map.of("repo.yaml", REPO));
    w = fx.warehouse;
    SparkSession clone = SparkSessions.isolated(fx.platform.spark());
    clone.conf().set(FeatureVacuum.RETENTION_CHECK, "false");
    lenient = Warehouse.of(clone, fx.platform.config());
  }

  /** A table written three times, each an overwrite: versions 0, 1, 2 of rows a, b, c, two files each. */
  private static TableName threeOverwrites(String name) {
    TableName t = new TableName("features", name);
    for (String v : List.of("a", "b", "c")) {
      List<Row> rows = Stream.of(1L, 2L, 3L, 4L).map(id -> RowFactory.create(id, v + id)).toList();
      w.write(fx.platform.spark().createDataFrame(rows, SCHEMA).repartition(2), t).overwriting(false).commit();
    }
    assertThat(dataFiles(t)).as("two files per version, none deleted yet").hasSize(6);
    return t;
  }

  private static List<String> rows(TableVersion v) {
    return w.read(v).orderBy("id").collectAsList().stream().map(r -> r.getLong(0) + ":" + r.getString(1)).toList();
  }

  private static List<Path> dataFiles(TableName t) {
    try (Stream<Path> s = Files.walk(fx.platform.warehouse().resolve(t.database() + ".db").resolve(t.table()))) {
      return s.filter(p -> p.getFileName().toString().endsWith(".parquet") && !p.toString().contains("_delta_log")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String fileName(String uri) {
    return Path.of(URI.create(uri)).getFileName().toString();
  }

  /** The earliest time, epoch millis, of the removals committed in {@code version} of {@code t}'s log. */
  private static long oldestRemoval(TableName t, long version) {
    Path commit = fx.platform.warehouse().resolve(t.database() + ".db").resolve(t.table())
        .resolve("_delta_log").resolve(String.format("%020d.json", version));
    try (Stream<String> actions = Files.lines(commit)) {
      return actions.map(FeatureVacuumTest::json).filter(a -> a.has("remove"))
          .mapToLong(a -> a.get("remove").get("deletionTimestamp").asLong()).min()
          .orElseThrow(() -> new AssertionError("no removal in " + commit));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode json(String line) {
    try {
      return Json.mapper().readTree(line);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long committedSecondsAgo(String message) {
    Matcher m = Pattern.compile("committed (\\d+) seconds ago").matcher(message);
    assertThat(m.find()).as("the message gives the commit's age: %s", message).isTrue();
    return Long.parseLong(m.group(1));
  }

  private static long retainAtLeast(String message) {
    Matcher m = Pattern.compile("--retain at least (\\d+)h").matcher(message);
    assertThat(m.find()).as("the message suggests a retention: %s", message).isTrue();
    return Long.parseLong(m.group(1));
  }

  @Test
  void aPinAtAnOldVersionBlocksTheVacuumNamingHolderTableVersionAndFixAndNothingIsDeleted() {
    TableName t = threeOverwrites("pinned_old");
    TableVersion v0 = new TableVersion(t, 0);
    List<TablePin> pins = List.of(new TablePin("model fraud v3", v0));

    for (boolean dryRun : List.of(true, false)) {
      assertThatThrownBy(() -> FeatureVacuum.vacuum(lenient, t, Duration.ZERO, pins, dryRun))
          .as("dry run %s", dryRun)
          .isInstanceOf(PlatformException.class)
          .hasMessageStartingWith("Cannot vacuum features.pinned_old with retention 0h: model fraud v3 pins it at version 0,"
              + " which needs 2 files that vacuum would delete; archive that model version or vacuum with --retain at least ")
          .hasMessageMatching(".*--retain at least \\d+h");
    }

    assertThat(dataFiles(t)).as("nothing deleted").hasSize(6);
    assertThat(w.current(t).version()).as("no vacuum commits either").isEqualTo(2);
    assertThat(rows(v0)).as("time travel to the pinned version reads its exact rows")
        .containsExactly("1:a1", "2:a2", "3:a3", "4:a4");
  }

  @Test
  void theSuggestedRetentionKeepsThePinnedFiles() {
    TableName t = threeOverwrites("pinned_suggested");
    List<TablePin> pins = List.of(new TablePin("model fraud v3", new TableVersion(t, 0)));
    long removed = oldestRemoval(t, 1);
    long before = System.currentTimeMillis(); // the clock the check and Delta's vacuum read
    Throwable refused = org.assertj.core.api.Assertions.catchThrowable(
        () -> FeatureVacuum.vacuum(lenient, t, Duration.ZERO, pins, false));
    long after = System.currentTimeMillis();
    long hours = retainAtLeast(refused.getMessage());
    // The age of version 0's tombstones when the check ran, plus an hour of margin, in hours rounded up:
    // 2 when they are seconds old, whatever the speed of the machine.
    assertThat(hours).as("tombstones removed at %d, checked between %d and %d", removed, before, after)
        .isBetween(FeatureTableRetention.ceilDiv(before - removed + FeatureVacuum.SAFETY_MARGIN.toMillis(), HOUR_MS),
            FeatureTableRetention.ceilDiv(after - removed + FeatureVacuum.SAFETY_MARGIN.toMillis(), HOUR_MS));

    VacuumResult r = FeatureVacuum.vacuum(lenient, t, Duration.ofHours(hours), pins, false);

    assertThat(r.filesDeleted()).as("every removed file is younger than the retention").isZero();
    assertThat(r.pinsChecked()).containsExactlyElementsOf(pins);
    assertThat(dataFiles(t)).hasSize(6);
    assertThat(rows(new TableVersion(t, 0))).containsExactly("1:a1", "2:a2", "3:a3", "4:a4");
  }

  @Test
  void everyBlockingHolderIsNamedAndPinsOnOtherTablesAreIgnored() {
    TableName t = threeOverwrites("pinned_twice");
    List<TablePin> pins = List.of(new TablePin("model fraud v3", new TableVersion(t, 0)),
        new TablePin("model churn v1", new TableVersion(t, 1)),
        new TablePin("model fraud v4", new TableVersion(t, 2)),
        new TablePin("model other v1", new TableVersion(TableName.parse("features.elsewhere"), 0)));

    assertThatThrownBy(() -> FeatureVacuum.vacuum(lenient, t, Duration.ZERO, pins, false))
        .hasMessageStartingWith("Cannot vacuum features.pinned_twice with retention 0h:"
            + " model fraud v3 pins it at version 0, which needs 2 files that vacuum would delete;"
            + " model churn v1 pins it at version 1, which needs 2 files that vacuum would delete;"
            + " archive those model versions or vacuum with --retain at least ")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("fraud v4", "other v1"));
    assertThat(dataFiles(t)).hasSize(6);
  }

  @Test
  void aPinAtTheCurrentVersionLetsTheVacuumDeleteTheOldFilesAndVersion0CanNoLongerBeRead() {
    TableName t = threeOverwrites("pinned_current");
    TablePin pin = new TablePin("model fraud v4", new TableVersion(t, 2));

    VacuumResult r = FeatureVacuum.vacuum(lenient, t, Duration.ZERO, List.of(pin), false);

    assertThat(r.table()).isEqualTo(new TableVersion(t, 2));
    assertThat(r.retain()).isEqualTo(Duration.ZERO);
    assertThat(r.dryRun()).isFalse();
    assertThat(r.filesDeleted()).as("the four files of versions 0 and 1").isEqualTo(4);
    assertThat(r.sampleFiles()).hasSize(4).allMatch(p -> p.endsWith(".parquet"));
    assertThat(r.pinsChecked()).containsExactly(pin);
    assertThat(dataFiles(t)).hasSize(2);
    assertThat(rows(new TableVersion(t, 2))).containsExactly("1:c1", "2:c2", "3:c3", "4:c4");
    assertThatThrownBy(() -> rows(new TableVersion(t, 0))).as("version 0's files are gone")
        .hasMessageContaining("FILE_NOT_EXIST");
  }

  @Test
  void withoutPinsTheVacuumDeletesTheOldFiles() {
    TableName t = threeOverwrites("unpinned");
    VacuumResult r = FeatureVacuum.vacuum(lenient, t, Duration.ZERO, List.of(), false);
    assertThat(r.filesDeleted()).isEqualTo(4);
    assertThat(r.pinsChecked()).isEmpty();
    assertThat(dataFiles(t)).hasSize(2);
    assertThatThrownBy(() -> rows(new TableVersion(t, 1))).hasMessageContaining("FILE_NOT_EXIST");
  }

  @Test
  void aDryRunListsWhatWouldBeDeletedAndDeletesNothing() {
    TableName t = threeOverwrites("dry_run");
    VacuumResult r = FeatureVacuum.vacuum(lenient, t, Duration.ZERO, List.of(), true);
    assertThat(r.dryRun()).isTrue();
    assertThat(r.filesDeleted()).isEqualTo(4);
    List<String> current = Stream.of(w.read(t).inputFiles()).map(FeatureVacuumTest::fileName).toList();
    assertThat(current).hasSize(2);
    assertThat(r.sampleFiles()).as("the files of versions 0 and 1, not the current ones").hasSize(4)
        .allMatch(p -> Files.exists(Path.of(URI.create(p))))
        .noneMatch(p -> current.contains(fileName(p)));
    assertThat(dataFiles(t)).hasSize(6);
    assertThat(rows(new TableVersion(t, 0))).containsExactly("1:a1", "2:a2", "3:a3", "4:a4");
  }

  @Test
  void aRetentionBelowTheTablesIsRefusedByTheSessionsCheckWithTheFix() {
    TableName t = threeOverwrites("short_retention");
    assertThatThrownBy(() -> FeatureVacuum.vacuum(w, t, Duration.ofHours(24), List.of(), false))
        .hasMessage("Cannot vacuum features.short_retention with retention 24h: the table keeps removed files for 168h"
            + " (delta.deletedFileRetentionDuration), and a shorter vacuum retention could delete files that running jobs"
            + " still read; vacuum with --retain 168h or more (Delta's spark.databricks.delta.retentionDurationCheck.enabled"
            + "=false lifts this check when nothing writes or reads the table meanwhile)");
    assertThatThrownBy(() -> FeatureVacuum.vacuum(w, t, Duration.ofMinutes(90), List.of(), false))
        .hasMessage("Cannot vacuum features.short_retention with retention 90m: the retention must be zero or more whole"
            + " hours (Delta rounds it to hours), for example --retain 168h");
    assertThatThrownBy(() -> FeatureVacuum.vacuum(w, TableName.parse("features.nope"), Duration.ofHours(168), List.of(), false))
        .hasMessageStartingWith("Table features.nope does not exist in the warehouse");

    VacuumResult r = FeatureVacuum.vacuum(w, t, Duration.ofHours(168), List.of(new TablePin("model fraud v3",
        new TableVersion(t, 0))), false);
    assertThat(r.filesDeleted()).as("with Delta's default retention the removed files stay").isZero();
    assertThat(dataFiles(t)).hasSize(6);
  }

  @Test
  void aPinOnAVersionTheTableNeverHadBlocks() {
    TableName t = threeOverwrites("future_pin");
    assertThatThrownBy(() -> FeatureVacuum.vacuum(lenient, t, Duration.ZERO,
        List.of(new TablePin("model fraud v9", new TableVersion(t, 9))), false))
        .hasMessage("Cannot vacuum features.future_pin with retention 0h: model fraud v9 pins it at version 9, but its"
            + " latest version is 2; correct the pins of model fraud v9: the table never had that version");
  }

  @Test
  void aPinBeyondTheTablesFileRetentionBlocksBecauseDeltaRefusesTimeTravelUntilTheRetentionIsRaised() throws Exception {
    TableName t = threeOverwrites("short_history");
    fx.platform.spark().sql("ALTER TABLE " + t + " SET TBLPROPERTIES ('delta.deletedFileRetentionDuration' = 'interval 1 seconds')");
    // Version 0 committed an hour earlier, well beyond the 1 s, rather than a sleep of a little more
    // than 1 s: Delta dates a commit by its log file's modification time.
    Path commit0 = fx.platform.warehouse().resolve("features.db/short_history/_delta_log/00000000000000000000.json");
    Files.setLastModifiedTime(commit0, FileTime.fromMillis(Files.getLastModifiedTime(commit0).toMillis() - HOUR_MS));
    assertThatThrownBy(() -> rows(new TableVersion(t, 0))).as("Delta itself refuses to read version 0 now")
        .hasMessageContaining("DELTA_UNSUPPORTED_TIME_TRAVEL_BEYOND_DELETED_FILE_RETENTION_DURATION");

    assertThatThrownBy(() -> FeatureVacuum.vacuum(lenient, t, Duration.ofHours(5),
        List.of(new TablePin("model fraud v3", new TableVersion(t, 0))), false))
        .hasMessageMatching("Cannot vacuum features.short_history with retention 5h: model fraud v3 pins it at version 0,"
            + " committed \\d+ seconds ago, beyond the table's delta.deletedFileRetentionDuration of 1s, so Delta refuses"
            + " time travel to it; raise the table's history retention to at least 1 day \\(ALTER TABLE"
            + " features.short_history SET TBLPROPERTIES \\('delta.deletedFileRetentionDuration' = 'interval 1 days'\\)\\)"
            + " \\(or archive that model version\\)")
        .satisfies(e -> assertThat(committedSecondsAgo(e.getMessage())).as("dated by its log file")
            .isGreaterThanOrEqualTo(3600));

    FeatureTableRetention.ensureAtLeast(w, t, Duration.ofDays(1));
    assertThat(rows(new TableVersion(t, 0))).as("readable again: the files were never deleted")
        .containsExactly("1:a1", "2:a2", "3:a3", "4:a4");
  }

  @Test
  void aPinWhoseLogIsGoneBlocksSayingTheTrainingSetCannotBeRebuilt() throws IOException {
    TableName t = new TableName("features", "log_gone");
    for (long i = 0; i < 11; i++) {
      w.write(fx.platform.spark().createDataFrame(List.of(RowFactory.create(i, "x" + i)), SCHEMA), t).commit();
    }
    Path log = fx.platform.warehouse().resolve("features.db/log_gone/_delta_log");
    assertThat(log.resolve("00000000000000000010.checkpoint.parquet")).as("Delta checkpoints every 10 commits").exists();
    // What Delta's log cleanup does after delta.logRetentionDuration: the oldest commits go.
    Files.delete(log.resolve("00000000000000000000.json"));
    Files.deleteIfExists(log.resolve("00000000000000000000.crc"));

    assertThatThrownBy(() -> FeatureVacuum.vacuum(lenient, t, Duration.ZERO,
        List.of(new TablePin("model fraud v1", new TableVersion(t, 0))), true))
        .hasMessageStartingWith("Cannot vacuum features.log_gone with retention 0h: model fraud v1 pins it at version 0, which"
            + " Delta can no longer read (")
        .hasMessageEndingWith("); archive that model version: its training set can no longer be rebuilt from this table");
  }

  @Test
  void theStoreVacuumsAViewsTableFoundInTheRegistry() {
    FeatureStore store = fx.store();
    MaterializationResult first = null;
    for (double price : List.of(1.0, 2.0, 3.0)) {
      w.write(fx.platform.spark().createDataFrame(List.of(RowFactory.create(1L, ts(D0 + HOUR), price),
          RowFactory.create(2L, ts(D0 + 30 * HOUR), price)), PRICES), TableName.parse("raw.prices")).overwriting(true).commit();
      if (first == null) {
        fx.run("features.apply", store::apply);
      }
      MaterializationResult r = fx.run("features.materialize",
          run -> store.materialize("price", 1, LocalDate.of(2026, 6, 1), LocalDate.of(2026, 6, 2), run));
      first = first == null ? r : first;
    }
    TableVersion pinned = first.table();
    FeatureStore vacuuming = FeatureStore.open(lenient, fx.repo, "repo", fx.clock, Map.<String, String>of()::get);
    List<TablePin> pins = List.of(new TablePin("model pricing v1", pinned));

    assertThatThrownBy(() -> vacuuming.vacuum("price", 1, Duration.ZERO, pins, false))
        .hasMessageMatching("Cannot vacuum features.price_v1 with retention 0h: model pricing v1 pins it at version "
            + pinned.version() + ", which needs \\d+ files? that vacuum would delete; archive that model version or"
            + " vacuum with --retain at least \\d+h");
    assertThat(w.read(pinned).orderBy("item_id").collectAsList()).extracting(r -> r.getDouble(3))
        .as("the pinned materialization reads as it was").containsExactly(1.0, 1.0);

    VacuumResult r = vacuuming.vacuum("price", null, Duration.ZERO, List.of(), false);
    assertThat(r.table().table()).isEqualTo(TableName.parse("features.price_v1"));
    assertThat(r.filesDeleted()).as("the files of the two replaced materializations").isPositive();
    assertThat(fx.platform.spark().sql("SELECT price FROM features.price_v1").collectAsList())
        .extracting(x -> x.getDouble(0)).containsExactly(3.0, 3.0);
    assertThatThrownBy(() -> w.read(pinned).collectAsList()).hasMessageContaining("FILE_NOT_EXIST");
  }
}
