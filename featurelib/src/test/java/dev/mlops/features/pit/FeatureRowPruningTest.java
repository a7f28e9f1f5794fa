package dev.mlops.features.pit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.tables.TableName;
import dev.mlops.features.FeatureFixtures;
import dev.mlops.features.FeatureStore;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retrieval reads only the feature rows some spine row can match (none after its latest time,
 * none older than its earliest time minus the TTL): a row's features must not depend on which
 * other rows share its spine, and the TTL boundary is kept on both sides, for timestamp and date
 * spine times. (That the other rows are skipped does not show in a result; this guards the bounds.)
 */
class FeatureRowPruningTest {
  private static final Instant T0 = Instant.parse("2026-10-05T12:00:00Z");

  @TempDir Path dir;

  @Test
  void aRowsFeaturesDoNotDependOnTheOtherRowsOfItsSpine() {
    String repo = """
        entities:
          - {name: user, join-keys: [{name: user_id, type: bigint}]}
        sources:
          - {name: events, table: raw.events, event-time: ts}
        feature-views:
          - name: last_amount
            version: 1
            entities: [user]
            sources: [events]
            ttl: 1h
            sql: SELECT user_id, ts, amount FROM events
            event-time: ts
            features: [{name: amount, type: double}]
        feature-services:
          - name: s
            features: [{view: last_amount, version: 1, features: [amount]}]
        """;
    FeatureFixtures fx = new FeatureFixtures(dir, Instant.parse("2026-10-08T00:00:00Z")).files(Map.of("repo.yaml", repo));
    StructType events = new StructType().add("user_id", DataTypes.LongType).add("ts", DataTypes.TimestampType)
        .add("amount", DataTypes.DoubleType);
    List<Row> rows = new ArrayList<>();
    rows.add(RowFactory.create(1L, at(-60), 1.0));   // exactly one TTL before T0: still valid at T0
    rows.add(RowFactory.create(2L, at(-61), 2.0));   // a minute more: expired at T0
    rows.add(RowFactory.create(3L, at(-30), 3.0));
    rows.add(RowFactory.create(3L, at(170), 30.0));  // user 3's second spine row, at T0 + 3h, sees this one
    rows.add(RowFactory.create(3L, at(181), 31.0));  // after every spine row: never seen
    rows.add(RowFactory.create(4L, at(-720), 4.0));  // 2026-10-05T00:00: what a date spine row of that day sees
    rows.add(RowFactory.create(5L, at(-780), 5.0));  // an hour earlier: exactly one TTL before that midnight
    fx.warehouse.write(fx.platform.spark().createDataFrame(rows, events), TableName.parse("raw.events")).commit();
    FeatureStore store = fx.store();
    fx.run("features.apply", store::apply);
    fx.run("features.materialize", r -> store.materialize("last_amount", 1, LocalDate.of(2026, 10, 1),
        LocalDate.of(2026, 10, 7), r));

    StructType spineSchema = new StructType().add("user_id", DataTypes.LongType).add("t", DataTypes.TimestampType);
    List<Row> early = List.of(RowFactory.create(1L, at(0)), RowFactory.create(2L, at(0)), RowFactory.create(3L, at(0)));
    List<Row> wide = new ArrayList<>(early);
    wide.add(RowFactory.create(3L, at(180)));
    wide.add(RowFactory.create(9L, Timestamp.from(Instant.parse("2026-10-01T00:00:00Z"))));

    Map<String, Double> alone = amounts(store, fx, early);
    Map<String, Double> together = amounts(store, fx, wide);
    assertThat(alone).containsEntry("1@0", 1.0).containsEntry("2@0", null).containsEntry("3@0", 3.0);
    assertThat(together).containsEntry("1@0", 1.0).containsEntry("2@0", null).containsEntry("3@0", 3.0)
        .containsEntry("3@180", 30.0).containsEntry("9@-6480", null).hasSize(5);

    // A date means its midnight UTC, in the bounds as in the join, whatever the session's time zone.
    StructType dated = new StructType().add("user_id", DataTypes.LongType).add("d", DataTypes.DateType);
    String zone = fx.platform.spark().conf().get("spark.sql.session.timeZone");
    fx.platform.spark().conf().set("spark.sql.session.timeZone", "America/Los_Angeles");
    try {
      List<Row> byDate = store.historical("s", null, fx.platform.spark().createDataFrame(List.of(
          RowFactory.create(4L, java.sql.Date.valueOf("2026-10-05")), RowFactory.create(5L, java.sql.Date.valueOf("2026-10-05"))),
          dated), "d", Map.of(), null).rows().orderBy("user_id").collectAsList();
      assertThat(byDate).extracting(r -> r.isNullAt(2) ? null : r.getDouble(2)).containsExactly(4.0, 5.0);
    } finally {
      fx.platform.spark().conf().set("spark.sql.session.timeZone", zone);
    }
  }

  private static Map<String, Double> amounts(FeatureStore store, FeatureFixtures fx, List<Row> spine) {
    StructType schema = new StructType().add("user_id", DataTypes.LongType).add("t", DataTypes.TimestampType);
    TrainingSet set = store.historical("s", null, fx.platform.spark().createDataFrame(spine, schema), "t", Map.of(), null);
    Map<String, Double> out = new java.util.HashMap<>();
    for (Row r : set.rows().collectAsList()) {
      long minutes = (r.getTimestamp(1).toInstant().getEpochSecond() - T0.getEpochSecond()) / 60;
      out.put(r.getLong(0) + "@" + minutes, r.isNullAt(2) ? null : r.getDouble(2));
    }
    return out;
  }

  private static Timestamp at(long minutesFromT0) {
    return Timestamp.from(T0.plusSeconds(minutesFromT0 * 60));
  }
}
