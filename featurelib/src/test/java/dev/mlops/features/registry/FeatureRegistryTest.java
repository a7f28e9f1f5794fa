package dev.mlops.features.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.tables.TableName;
import dev.mlops.features.FeatureFixtures;
import dev.mlops.features.FeatureStore;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureRegistryTest {
  static final String V1 = """
      entities:
        - {name: user, join-keys: [{name: user_id, type: bigint}]}
      sources:
        - {name: events, table: raw.events, event-time: ts}
      feature-views:
        - name: activity
          version: 1
          description: Activity of a user.
          owner: a@example.com
          entities: [user]
          source: events
          ttl: 2d
          aggregation: {granularity: 1h, windows: [1h, 1d]}
          features:
            - {name: n, function: count, type: bigint, constraints: {min: 0}}
      feature-services:
        - name: svc
          features: [{view: activity, version: 1, features: ["*"]}]
      """;

  /** V1 with the view and service at version 2, the view's TTL changed. */
  static final String V2 = V1.replace("version: 1\n    description", "version: 2\n    description")
      .replace("ttl: 2d", "ttl: 3d").replace("version: 1, features", "version: 2, features")
      .replace("  - name: svc\n", "  - name: svc\n    version: 2\n");

  @TempDir Path dir;
  FeatureFixtures fx;

  /** A warehouse of each test's own, with the raw events and the repository at V1, nothing applied yet. */
  @BeforeEach
  void setUp() {
    fx = new FeatureFixtures(dir, Instant.parse("2026-05-01T00:00:00Z")).files(Map.of("repo.yaml", V1));
    StructType schema = new StructType().add("user_id", DataTypes.LongType).add("ts", DataTypes.TimestampType);
    List<Row> rows = List.of(RowFactory.create(1L, Timestamp.from(Instant.parse("2026-04-01T10:15:00Z"))));
    fx.warehouse.write(fx.platform.spark().createDataFrame(rows, schema), TableName.parse("raw.events")).commit();
  }

  private ApplyResult apply() {
    FeatureStore store = fx.store();
    return fx.run("features.apply", store::apply);
  }

  @Test
  void applyRecordsDefinitionsAndCreatesEachViewsTableWithChangeDataFeed() {
    ApplyResult r = apply();
    assertThat(r.created()).containsExactly("view activity v1", "service svc v1");
    Row detail = fx.platform.spark().sql("DESCRIBE DETAIL features.activity_v1").select("partitionColumns", "properties").first();
    assertThat(detail.<String>getList(0)).as("partitioned by month").containsExactly("month");
    Map<String, String> props = detail.getJavaMap(1);
    assertThat(props).containsEntry("delta.enableChangeDataFeed", "true").containsEntry("mlops.view", "activity")
        .containsEntry("mlops.view_version", "1").containsKey("mlops.definition_hash");
    assertThat(fx.platform.spark().table("features.activity_v1").columns())
        .containsExactly("user_id", "feature_ts", "created_ts", "n_1h", "n_1d", "date", "month");
    Row reg = fx.platform.spark().sql("SELECT kind, table_name, ttl_seconds, owner, size(features) FROM features.registry_views").first();
    assertThat(reg.getString(0)).isEqualTo("aggregation");
    assertThat(reg.getString(1)).isEqualTo("features.activity_v1");
    assertThat(reg.getLong(2)).isEqualTo(2 * 86_400);
    assertThat(reg.getString(3)).isEqualTo("a@example.com");
    assertThat(reg.getInt(4)).isEqualTo(2);
  }

  @Test
  void reApplyingTheSameDefinitionsChangesNothing() {
    apply();
    long version = fx.warehouse.current(FeatureRegistry.VIEWS).version();
    ApplyResult r = apply();
    assertThat(r.unchanged()).containsExactly("view activity v1", "service svc v1");
    assertThat(fx.warehouse.current(FeatureRegistry.VIEWS).version()).isEqualTo(version);
  }

  @Test
  void aChangedDescriptionOrOwnerIsUpdatedInPlace() {
    apply();
    fx.files(Map.of("repo.yaml", V1.replace("Activity of a user.", "What a user did.").replace("a@example.com", "b@example.com")));
    ApplyResult r = apply();
    assertThat(r.updated()).hasSize(1);
    assertThat(r.updated().get(0)).startsWith("view activity v1").contains("+ owner: b@example.com");
    assertThat(fx.platform.spark().sql("SELECT owner FROM features.registry_views").first().getString(0)).isEqualTo("b@example.com");
  }

  @Test
  void aChangedDefinitionUnderTheSameVersionIsRefusedWithADiffAndNothingWritten() {
    apply();
    long version = fx.warehouse.current(FeatureRegistry.VIEWS).version();
    fx.files(Map.of("repo.yaml", V1.replace("ttl: 2d", "ttl: 3d").replace("windows: [1h, 1d]", "windows: [1h, 2d]")));
    assertThatThrownBy(this::apply)
        .hasMessageStartingWith("Cannot apply the feature repository: view activity v1 is already applied with a different"
            + " definition; bump its version to change it:")
        .hasMessageContaining("- ttl: 2d\n    + ttl: 3d")
        .hasMessageContaining("- aggregation.windows: [1h, 1d]\n    + aggregation.windows: [1h, 2d]");
    assertThat(fx.warehouse.current(FeatureRegistry.VIEWS).version()).isEqualTo(version);
    assertThatThrownBy(() -> fx.run("features.materialize", r -> fx.store().materialize("activity", 1,
        LocalDate.of(2026, 4, 1), LocalDate.of(2026, 4, 1), r)))
        .hasMessageStartingWith("Cannot materialize activity v1: its definition changed since it was applied:");
  }

  @Test
  void aBumpedVersionGetsItsOwnTableAndBothVersionsCoexist() {
    apply();
    fx.files(Map.of("repo.yaml", V2));
    ApplyResult r = apply();
    assertThat(r.created()).containsExactly("view activity v2", "service svc v2");
    assertThat(fx.warehouse.exists(TableName.parse("features.activity_v1"))).isTrue();
    assertThat(fx.warehouse.exists(TableName.parse("features.activity_v2"))).isTrue();
    FeatureRegistry registry = new FeatureRegistry(fx.warehouse, fx.clock);
    assertThat(registry.views()).extracting(RegisteredView::id).containsExactly("activity v1", "activity v2");
    assertThat(registry.view("activity", null).version()).isEqualTo(2);
    assertThat(registry.service("svc", 1).features().get(0).viewVersion()).isEqualTo(1);
  }

  @Test
  void aRegistryThatHasReadTheTablesSeesWhatAnotherJobCommitsAfterwards() {
    apply();
    fx.files(Map.of("repo.yaml", V2));
    apply();
    FeatureRegistry reader = new FeatureRegistry(fx.warehouse, fx.clock);
    assertThat(reader.views()).extracting(RegisteredView::id).containsExactly("activity v1", "activity v2");
    assertThat(reader.materializations("activity", 2)).isEmpty();

    fx.run("features.materialize", r -> fx.store().materialize("activity", 2, LocalDate.of(2026, 4, 1),
        LocalDate.of(2026, 4, 1), r));
    assertThat(reader.materializations("activity", 2)).as("recorded by another registry, read anew")
        .hasSize(1).allSatisfy(m -> assertThat(m.end()).isEqualTo(Instant.parse("2026-04-02T00:00:00Z")));
    assertThat(reader.materializations("activity", 1)).isEmpty();

    fx.files(Map.of("repo.yaml", V1.replace("version: 1\n    description", "version: 3\n    description")
        .replace("ttl: 2d", "ttl: 4d").replace("version: 1, features", "version: 3, features")
        .replace("  - name: svc\n", "  - name: svc\n    version: 3\n")));
    assertThat(apply().created()).containsExactly("view activity v3", "service svc v3");
    assertThat(reader.views()).extracting(RegisteredView::id).containsExactly("activity v1", "activity v2", "activity v3");
    assertThat(reader.service("svc", null).version()).isEqualTo(3);
  }
}
