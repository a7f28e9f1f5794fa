package dev.mlops.features.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.PlatformException;
import dev.mlops.core.demo.DemoData;
import dev.mlops.core.demo.DemoDataSpec;
import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.features.Feature;
import dev.mlops.features.FeatureRepo;
import dev.mlops.features.FeatureView;
import dev.mlops.features.ViewQuery;
import dev.mlops.testkit.TestPlatform;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureRepoLoaderTest {
  private static final Path REPO = Path.of(System.getProperty("mlops.repo.root", "..")).toAbsolutePath().normalize();
  private static final String BASE = """
      entities:
        - {name: customer, join-keys: [{name: customer_id, type: bigint}]}
      sources:
        - {name: transactions, table: raw.transactions, event-time: event_ts, created-time: ingested_ts, partition-column: date}
      """;

  @TempDir static Path dir;
  static FeatureRepoLoader loader;

  @BeforeAll
  static void demoTables() {
    TestPlatform p = TestPlatform.create(dir);
    Warehouse w = Warehouse.of(p.spark(), p.config());
    DemoData data = new DemoData(p.spark(), new DemoDataSpec(1, 0.001, LocalDate.of(2026, 10, 1), 10, LocalDate.of(2026, 10, 7)));
    w.write(data.transactions(), TableName.parse("raw.transactions")).commit();
    w.write(data.fraudLabels(), TableName.parse("raw.fraud_labels")).commit();
    w.write(data.customers(), TableName.parse("raw.customers")).commit();
    loader = new FeatureRepoLoader(Map.<String, String>of()::get, new SparkSchemaResolver(p.spark()));
  }

  private static FeatureRepo load(String... files) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < files.length; i += 2) {
      m.put(files[i], files[i + 1]);
    }
    return loader.loadTexts(m);
  }

  private static String view(String body) {
    return BASE + "feature-views:\n  - name: spend\n    version: 1\n    entities: [customer]\n" + body;
  }

  @Test
  void theShippedDemoRepositoryLoads() {
    FeatureRepo repo = loader.load(REPO.resolve("conf/features"), "conf/features");
    assertThat(repo.views()).extracting(FeatureView::id)
        .containsExactlyInAnyOrder("customer_spend v1", "merchant_risk v1", "customer_profile v1");
    FeatureView spend = repo.requireView("customer_spend", 1);
    assertThat(spend.features()).extracting(Feature::name).startsWith("txn_count_1h", "txn_count_1d", "txn_count_7d",
        "txn_count_30d", "amount_sum_1h").contains("merchant_count_7d", "last_amount_30d").endsWith("spend_1d_vs_30d");
    assertThat(((ViewQuery.Aggregation) spend.query()).windows()).hasSize(4);
    assertThat(repo.requireService("fraud_detection", null).features()).extracting(f -> f.outputName())
        .contains("customer_spend__txn_count_1h", "merchant_risk__fraud_rate_30d", "customer_profile__segment");
  }

  @Test
  void anUnknownSourceIsNamedWithFileAndPath() {
    assertThatThrownBy(() -> load("a.yaml", view("""
            source: transactons
            ttl: 1d
            aggregation: {granularity: 1h, windows: [1h]}
            features: [{name: n, function: count, type: bigint}]
        """))).isInstanceOf(PlatformException.class)
        .hasMessage("a.yaml: feature-views[0].source: unknown source \"transactons\"; did you mean \"transactions\"?");
  }

  @Test
  void anUnknownColumnAndAWrongTypeAreNamedAllAtOnce() {
    assertThatThrownBy(() -> load("a.yaml", view("""
            source: transactions
            ttl: 1d
            aggregation: {granularity: 1h, windows: [1h]}
            features:
              - {name: total, function: sum, column: amout, type: double}
              - {name: n, function: count, type: double}
              - {name: m, function: median, column: amount, type: double}
        """))).hasMessageContaining("the feature repository has 3 problems:")
        .hasMessageContaining("a.yaml: feature-views[0].features[0].column: unknown column \"amout\"; did you mean \"amount\"?")
        .hasMessageContaining("a.yaml: feature-views[0].features[1].type: declared double but count yields bigint")
        .hasMessageContaining("a.yaml: feature-views[0].features[2].function: unknown function \"median\"");
  }

  @Test
  void duplicatesAcrossFilesAreNamedWithBothPlaces() {
    String v = view("""
            source: transactions
            ttl: 1d
            aggregation: {granularity: 1h, windows: [1h]}
            features: [{name: n, function: count, type: bigint}]
        """);
    assertThatThrownBy(() -> load("a.yaml", v, "b.yaml", "feature-views:" + v.substring(v.indexOf("feature-views:") + 14)))
        .hasMessage("b.yaml: feature-views[0].name: duplicate feature view spend v1 (also defined at a.yaml: feature-views[0])");
  }

  @Test
  void aServicePointingAtAMissingFeatureIsNamed() {
    assertThatThrownBy(() -> load("a.yaml", view("""
            source: transactions
            ttl: 1d
            aggregation: {granularity: 1h, windows: [1h, 1d]}
            features: [{name: n, function: count, type: bigint}]
        """) + """
        feature-services:
          - name: svc
            features: [{view: spend, version: 1, features: [n_1h, n_2d]}]
        """)).hasMessage("a.yaml: feature-services[0].features[0].features[1]: unknown feature \"n_2d\" in view spend v1;"
            + " did you mean \"n_1d\"? (features: n_1h, n_1d)");
  }

  @Test
  void windowsMustFitTheGranularityAndTheTtl() {
    assertThatThrownBy(() -> load("a.yaml", view("""
            source: transactions
            ttl: 1d
            aggregation: {granularity: 2h, windows: [3h, 2d]}
            features: [{name: n, function: count, type: bigint}]
        """))).hasMessage("a.yaml: feature-views[0].aggregation.windows[0]: window 3h is not a multiple of the granularity 2h");
    assertThatThrownBy(() -> load("a.yaml", view("""
            source: transactions
            ttl: 1d
            aggregation: {granularity: 1h, windows: [1h, 2d]}
            features: [{name: n, function: count, type: bigint}]
        """))).hasMessageStartingWith("a.yaml: feature-views[0].ttl: ttl 1d is shorter than the longest window 2d");
  }

  @Test
  void aSqlViewThatDoesNotCompileOrDeclaresAWrongTypeIsNamed() {
    String sqlBase = BASE + "  - {name: customers, query: \"SELECT *, CAST(signup_date AS timestamp) AS ts FROM raw.customers\","
        + " event-time: ts}\nfeature-views:\n  - name: profile\n    version: 1\n    entities: [customer]\n    sources: [customers]\n"
        + "    ttl: 30d\n    event-time: ts\n";
    assertThatThrownBy(() -> load("a.yaml", sqlBase + """
            sql: SELECT customer_id, ts, segmnt FROM customers
            features: [{name: segment, type: string}]
        """)).hasMessageStartingWith("a.yaml: feature-views[0].sql: does not compile: [UNRESOLVED_COLUMN")
        .hasMessageContaining("segmnt");
    assertThatThrownBy(() -> load("a.yaml", sqlBase + """
            sql: SELECT customer_id, ts, birth_year FROM customers
            features: [{name: birth_year, type: bigint}]
        """)).hasMessage("a.yaml: feature-views[0].features[0].type: declared bigint but the query yields int (cast it in the SQL)");
  }

  @Test
  void anUnknownKeyOrUnknownTypeIsNamed() {
    assertThatThrownBy(() -> load("a.yaml", view("""
            source: transactions
            ttl: 1d
            agregation: {granularity: 1h, windows: [1h]}
        """))).hasMessageStartingWith("a.yaml: feature-views[0].agregation: unknown key").hasMessageEndingWith("did you mean \"aggregation\"?");
    assertThatThrownBy(() -> load("a.yaml", BASE.replace("type: bigint", "type: integr")))
        .hasMessage("a.yaml: entities[0].join-keys[0].type: join keys are bigint, int or string, got \"integr\"");
  }
}
