package dev.mlops.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.demo.DemoDataSpec;
import dev.mlops.core.demo.DemoDataWriter;
import dev.mlops.core.runs.JobRun;
import dev.mlops.core.runs.RunRecorder;
import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.monitoring.DriftService.ReferenceChoice;
import dev.mlops.monitoring.alerts.Alert;
import dev.mlops.monitoring.alerts.TableAlertSink;
import dev.mlops.monitoring.drift.DriftStatus;
import dev.mlops.monitoring.drift.DriftThresholds;
import dev.mlops.monitoring.engines.SketchDriftEngine;
import dev.mlops.testkit.TestPlatform;
import dev.mlops.training.registry.DeltaModelRegistry;
import dev.mlops.validation.ValidationTables;
import dev.mlops.validation.profiles.ProfileKey;
import dev.mlops.validation.profiles.ProfileStore;
import dev.mlops.validation.sketches.HllState;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drift of the demo's transactions, whose amounts shift up and whose merchants gain a new
 * category ({@code crypto_exchange}) from the drift date on, against its first days: the planted
 * drift is found in exactly the right columns and days, through stored profiles.
 */
class TableDriftTest {
  static final LocalDate FIRST = LocalDate.of(2026, 10, 1);
  static final LocalDate DRIFT = LocalDate.of(2026, 10, 10);
  static final DemoDataSpec DEMO = new DemoDataSpec(42, 0.05, FIRST, 14, DRIFT);
  static final TableName TRANSACTIONS = TableName.parse("raw.transactions");

  @TempDir static Path dir;
  static Warehouse warehouse;
  static RunRecorder runs;

  @BeforeAll
  static void writeTheDemoData() {
    TestPlatform platform = TestPlatform.create(dir);
    warehouse = Warehouse.of(platform.spark(), platform.config());
    runs = platform.runs(warehouse, Clock.systemUTC());
    run(r -> new DemoDataWriter(warehouse).write(DEMO, r, m -> {}));
  }

  static <T> T run(Function<JobRun, T> body) {
    return runs.run("test", List.of(), body);
  }

  static DriftService service() {
    return new DriftService(warehouse, new DeltaModelRegistry(warehouse, Clock.systemUTC()),
        new SketchDriftEngine(new ProfileStore(warehouse, Clock.systemUTC())),
        List.of(new TableAlertSink(warehouse, Clock.systemUTC())), Clock.systemUTC());
  }

  static DriftReport drift(LocalDate first, LocalDate last) {
    return run(r -> service().table(TRANSACTIONS, "date", List.of("amount", "merchant_category", "channel"), first, last,
        new ReferenceChoice.Days(FIRST, FIRST.plusDays(2)), new DriftJudge(DriftThresholds.defaults(), 10), r));
  }

  @Test
  void thePlantedDriftIsFoundInItsColumnsFromItsFirstDayOnAndNothingAlertsBefore() {
    DriftReport r = drift(FIRST.plusDays(3), FIRST.plusDays(13));
    for (ColumnDrift c : r.columns()) {
      boolean after = !LocalDate.parse(c.partition()).isBefore(DRIFT);
      boolean planted = c.column().equals("amount") || c.column().equals("merchant_category");
      assertThat(c.status()).as("%s on %s: %s", c.column(), c.partition(), c.results())
          .isEqualTo(after && planted ? DriftStatus.DRIFT : DriftStatus.OK);
    }
    assertThat(r.firstDriftedPartition()).as("two of three columns drift from the drift date on").isEqualTo(DRIFT.toString());
    assertThat(r.alerts()).as("alerts from the drift date on only").isNotEmpty()
        .allSatisfy(a -> assertThat(LocalDate.parse(a.partition())).as(a.message()).isAfterOrEqualTo(DRIFT));
    assertThat(r.alerts().stream().filter(a -> a.severity() == Alert.Severity.ALERT).map(Alert::column).distinct())
        .containsExactlyInAnyOrder("amount", "merchant_category", "*");
    assertThat(r.newAlerts()).isEqualTo(r.alerts());
  }

  @Test
  void aReRunReadsTheStoredProfilesAndDuplicatesNeitherResultsNorAlerts() {
    LocalDate first = FIRST.plusDays(10);
    drift(first, first.plusDays(1));
    long profiles = warehouse.read(ValidationTables.PROFILES).count();
    long rows = warehouse.read(DriftTable.DRIFT).where("subject = 'table raw.transactions'").count();
    long alerts = warehouse.read(TableAlertSink.ALERTS).count();
    DriftReport again = drift(first, first.plusDays(1));
    assertThat(warehouse.read(ValidationTables.PROFILES).count()).as("no profile made again").isEqualTo(profiles);
    assertThat(warehouse.read(DriftTable.DRIFT).where("subject = 'table raw.transactions'").count())
        .as("the days' rows replaced").isEqualTo(rows);
    assertThat(warehouse.read(TableAlertSink.ALERTS).count()).as("no alert raised twice").isEqualTo(alerts);
    assertThat(again.alerts()).isNotEmpty();
    assertThat(again.newAlerts()).isEmpty();
  }

  @Test
  void theOtherSketchesValidationStoresOfAColumnAreIgnored() {
    LocalDate day = FIRST.plusDays(5);
    DriftReport first = drift(day, day);
    // Validation keeps an HLL of a column beside its KLL or frequent items, under the same key;
    // stored last, it is the newest sketch of the column.
    HllState distinct = new HllState();
    distinct.update(1L);
    ProfileKey key = ProfileKey.partition(TRANSACTIONS, warehouse.current(TRANSACTIONS).version(), "date", day.toString());
    run(r -> {
      new ProfileStore(warehouse, Clock.systemUTC()).write(Map.of(key, Map.of("amount", distinct, "merchant_category",
          distinct)), r);
      return null;
    });
    DriftReport again = drift(day, day);
    assertThat(again.columns()).hasSameSizeAs(first.columns());
    for (int i = 0; i < first.columns().size(); i++) {
      ColumnDrift before = first.columns().get(i);
      ColumnDrift after = again.columns().get(i);
      assertThat(after.column() + " " + after.status()).isEqualTo(before.column() + " " + before.status());
      for (int m = 0; m < before.results().size(); m++) {
        // The reference is a merge of three days' KLL sketches, which KLL compacts at random.
        assertThat(after.results().get(m).value()).as("%s %s", after.column(), after.results().get(m).metric())
            .isCloseTo(before.results().get(m).value(), org.assertj.core.data.Offset.offset(0.01));
      }
    }
  }

  @Test
  void badRequestsAreRefusedNamingWhatIsWrong() {
    DriftJudge judge = new DriftJudge(DriftThresholds.defaults(), 10);
    assertThatThrownBy(() -> run(r -> service().table(TRANSACTIONS, "date", List.of("amount"), LocalDate.of(2027, 1, 1),
        LocalDate.of(2027, 1, 1), new ReferenceChoice.Days(FIRST, FIRST), judge, r)))
        .hasMessageStartingWith("Cannot measure drift of raw.transactions for date=2027-01-01: the partition has no rows");
    assertThatThrownBy(() -> run(r -> service().table(TRANSACTIONS, "date", List.of("amount"), DRIFT, DRIFT,
        new ReferenceChoice.Days(LocalDate.of(2020, 1, 1), LocalDate.of(2020, 1, 1)), judge, r)))
        .hasMessageContaining("date=2020-01-01: the partition has no rows");
    assertThatThrownBy(() -> run(r -> service().table(TRANSACTIONS, "date", List.of("amont"), DRIFT, DRIFT,
        new ReferenceChoice.Days(FIRST, FIRST), judge, r)))
        .hasMessageStartingWith("Cannot measure drift of column amont: raw.transactions has no such column");
    assertThatThrownBy(() -> run(r -> service().table(TRANSACTIONS, "date", List.of("event_ts"), DRIFT, DRIFT,
        new ReferenceChoice.Days(FIRST, FIRST), judge, r)))
        .hasMessageStartingWith("Cannot measure drift of column event_ts: its type timestamp is neither numeric nor categorical");
    assertThatThrownBy(() -> run(r -> service().model("nobody", DRIFT, DRIFT, new ReferenceChoice.Default(), judge, r)))
        .hasMessageStartingWith("Cannot measure drift of model nobody: it has no version in Production");
    assertThatThrownBy(() -> run(r -> service().table(TRANSACTIONS, "date", List.of("amount"), DRIFT, DRIFT,
        new ReferenceChoice.Default(), judge, r))).hasMessageStartingWith("Cannot measure drift of raw.transactions: it has"
        + " no default reference");
  }
}
