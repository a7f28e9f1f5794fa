package dev.mlops.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.CodeVersion;
import dev.mlops.core.config.ConfigException;
import dev.mlops.core.demo.DemoDataSpec;
import dev.mlops.core.demo.DemoDataWriter;
import dev.mlops.core.runs.JobRun;
import dev.mlops.core.tables.TableName;
import dev.mlops.features.registry.FeatureRegistry;
import dev.mlops.training.registry.ModelVersion;
import dev.mlops.training.registry.Stage;
import dev.mlops.training.spec.ModelSpecLoader.LoadedSpec;
import dev.mlops.training.spec.ModelSpecLoader;
import dev.mlops.training.testkit.DemoWarehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training end to end on the demo data and the repository's own feature definitions and fraud
 * spec: a trained, gated, auto-promoted version with lineage that SQL alone follows; an exact
 * reproduction after the feature tables changed, in an environment that no longer has the
 * variable the spec was trained with; a worse challenger refused with its figures; bad specs
 * named by file and key. Each test asks for the Production version it needs
 * ({@link #production()}), so that none depends on another having run.
 */
class ModelTrainerTest {
  /** The spec's negative sampling comes from this variable: 3 in 10 at training, a default of 5 without it. */
  static final String SAMPLE_VARIABLE = "MLOPS_TEST_NEGATIVE_SAMPLE";
  static final Path REPO = DemoWarehouse.REPO;
  static final DemoDataSpec DEMO = new DemoDataSpec(42, 0.01, LocalDate.of(2026, 10, 1), 14, LocalDate.of(2026, 10, 10));

  @TempDir static Path dir;
  static DemoWarehouse demo;
  static SparkSession spark;
  static LoadedSpec fraud;

  @BeforeAll
  static void materializeTheDemo() throws Exception {
    demo = DemoWarehouse.create(dir, DEMO);
    spark = demo.spark();
    String text = Files.readString(REPO.resolve("conf/models/fraud.yaml"));
    assertThat(text).as("the spec samples negatives at 3 in 10").contains("pmod(xxhash64(t.transaction_id), 10) < 3)");
    fraud = new ModelSpecLoader(k -> k.equals(SAMPLE_VARIABLE) ? "3" : null).parse(text.replace(
        "pmod(xxhash64(t.transaction_id), 10) < 3)", "pmod(xxhash64(t.transaction_id), 10) < ${" + SAMPLE_VARIABLE + ":-5})"),
        "conf/models/fraud.yaml");
  }

  private static TrainResult production;
  /** The tables' versions just before {@link #production} was trained. */
  private static Map<String, Long> versionsAtTraining;

  /** Version 1 of fraud, trained on first use and auto-promoted to Production. */
  static synchronized TrainResult production() {
    if (production == null) {
      versionsAtTraining = new java.util.HashMap<>();
      for (String t : List.of("features.customer_spend_v1", "raw.transactions", "raw.fraud_labels")) {
        versionsAtTraining.put(t, demo.warehouse().current(TableName.parse(t)).version());
      }
      production = train(fraud);
    }
    return production;
  }

  static <T> T run(Function<JobRun, T> body) {
    return demo.run(body);
  }

  static TrainResult train(LoadedSpec spec) {
    return run(r -> new ModelTrainer(demo.warehouse(), demo.store(), demo.registry(), Clock.systemUTC(),
        CodeVersion.current()).train(spec, "tester", r));
  }

  static LoadedSpec variant(String from, String to) {
    String text = fraud.recorded().text();
    assertThat(text).as("the spec has the text to replace").contains(from);
    return new ModelSpecLoader(k -> null).parse(text.replace(from, to), "conf/models/fraud.yaml");
  }

  @Test
  void aTrainedVersionIsGatedAutoPromotedAndItsLineageLeadsToTheExactTableVersions() {
    TrainResult r = production();
    Map<String, Long> viewTables = versionsAtTraining;

    assertThat(r.candidates()).as("the grid: maxDepth 3 and 5").hasSize(2).filteredOn(TrainResult.Candidate::chosen).hasSize(1);
    assertThat(r.gate().passed()).as(r.gate().failures().toString()).isTrue();
    assertThat(r.promoted()).isTrue();
    ModelVersion v = demo.registry().version("fraud", 1);
    assertThat(r.version().version()).isEqualTo(1);
    assertThat(r.version().stage()).isEqualTo(Stage.PRODUCTION);
    assertThat(v.spec().resolved()).as("the spec as it read at training is kept").doesNotContain(SAMPLE_VARIABLE);
    assertThat(new ModelSpecLoader(k -> null).recorded(v.spec()).spec().spine().query())
        .contains("pmod(xxhash64(t.transaction_id), 10) < 3)");
    assertThat(v.spec().text()).as("and as written").contains("${" + SAMPLE_VARIABLE + ":-5}");
    assertThat(v.metrics().get("roc_auc")).as("the demo's fraud is learnable").isGreaterThan(0.7);
    assertThat(v.metrics()).containsKeys("pr_auc", "log_loss", "precision", "recall", "f1");
    assertThat(v.params()).containsEntry("seed", "42").containsKey("maxDepth");
    assertThat(demo.registry().events("fraud")).extracting(e -> e.event() + ":" + e.toStage() + ":" + e.actor())
        .containsSubsequence("register:None:tester", "transition:Staging:tester", "approve:null:policy:auto",
            "transition:Production:policy:auto");

    // Lineage with SQL alone: the version's feature pins and sources are the tables' versions at training time.
    List<Row> pins = spark.sql("""
        SELECT p.table_name, p.delta_version FROM ml.model_versions LATERAL VIEW explode(feature_pins) x AS p
        WHERE model = 'fraud' AND stage = 'Production'
        UNION ALL
        SELECT s.table_name, s.delta_version FROM ml.model_versions LATERAL VIEW explode(source_tables) x AS s
        WHERE model = 'fraud' AND stage = 'Production'""").collectAsList();
    Map<String, Long> found = new java.util.HashMap<>();
    pins.forEach(row -> found.put(row.getString(0), row.getLong(1)));
    assertThat(found).containsAllEntriesOf(viewTables).containsKeys("features.merchant_risk_v1", "features.customer_profile_v1");
    Row set = spark.sql("SELECT training_set, training_set_version FROM ml.model_versions WHERE model = 'fraud' AND version = 1")
        .first();
    long rows = spark.sql("SELECT count(*) FROM " + set.getString(0) + " VERSION AS OF " + set.getLong(1)).first().getLong(0);
    assertThat(rows).as("the training set is there at its version").isEqualTo(r.trainingSet().rows()).isPositive();

    String card = new ModelCard(demo.registry(), new FeatureRegistry(demo.warehouse(), Clock.systemUTC())).render("fraud", 1);
    assertThat(card).contains("# Model card: fraud v1", "fraud-team@example.com", "Number of transactions.",
        "| channel = online |", "## Gate: passed", "policy:auto", "frauds reported later count as legitimate");

    // The fairness audit by segment: in the gate, the card, ml.model_fairness; segment is no input.
    assertThat(v.featureColumns()).as("a protected attribute is not a model input").doesNotContain("segment");
    assertThat(r.gate().checks()).extracting(c -> c.name()).contains("fairness segment groups",
        "fairness segment demographic_parity_difference");
    assertThat(card).contains("## Fairness audit: passed", "### segment (passed)", "| student | ok |",
        "| equalized_odds_difference |", "Largest gap: ",
        "a TPR is compared only with at least 10 positives, an FPR with 10 negatives (marked * when not)");
    List<Row> groups = spark.sql("SELECT group_value, rows, attribute_passed FROM ml.model_fairness"
        + " WHERE model = 'fraud' AND version = 1 AND attribute = 'segment'").collectAsList();
    assertThat(groups).extracting(g -> g.getString(0)).contains("business", "premium", "standard", "student");
    assertThat(groups.stream().mapToLong(g -> g.getLong(1)).sum()).as("every test row in one group")
        .isEqualTo(r.test().overall().rows());
    assertThat(groups).allSatisfy(g -> assertThat(g.getBoolean(2)).isTrue());

    // The global explanation: the GBT's importances per input, summing to 1, in the table and on the card.
    Map<String, Double> importances = demo.registry().version("fraud", 1).globalExplanation().importances();
    assertThat(importances.keySet()).as("every input, by name").containsExactlyInAnyOrderElementsOf(r.version().featureColumns());
    assertThat(importances.values().stream().mapToDouble(Double::doubleValue).sum())
        .isCloseTo(1, org.assertj.core.api.Assertions.within(1e-9));
    String top = importances.keySet().iterator().next();
    assertThat(spark.sql("SELECT feature_importances['" + top + "'] FROM ml.model_versions WHERE model = 'fraud' AND version = 1")
        .first().getDouble(0)).isEqualTo(importances.get(top));
    assertThat(card).contains("## Global explanation", "| " + top + " | ");
  }

  @Test
  void reproduceGivesIdenticalMetricsAndPredictionsAfterTheFeatureTablesChangedAndTheEnvironmentWithThem() {
    production();
    assertThat(System.getenv(SAMPLE_VARIABLE)).as("reproduction runs where the spec's variable is not set").isNull();
    // New source data, and the customers' spend materialized again on it: the pins must hold.
    run(r -> new DemoDataWriter(demo.warehouse()).write(new DemoDataSpec(7, 0.01, DEMO.start(), DEMO.days(),
        DEMO.driftDate()), r, m -> {}));
    long before = demo.warehouse().current(TableName.parse("features.customer_spend_v1")).version();
    run(r -> demo.store().backfill("customer_spend", 1, DEMO.end().minusDays(1), r).orElseThrow());
    assertThat(demo.warehouse().current(TableName.parse("features.customer_spend_v1")).version()).isGreaterThan(before);
    ReproduceResult r = run(x -> new ModelReproducer(demo.warehouse(), demo.store(), demo.registry()).reproduce("fraud", 1, x));
    assertThat(r.differences()).isEmpty();
    assertThat(r.identical()).isTrue();
    assertThat(r.predictionsCompared()).isPositive();
    assertThat(r.reproducedMetrics()).isEqualTo(r.recordedMetrics());
  }

  @Test
  void reproduceReportsTheDifferenceWhenARecordedParamNoLongerMatchesTheModel() {
    // The pins protect the rows (every table read at its Delta version), not the registry row that
    // says how to fit them: a version whose recorded maxDepth differs from the one it was fitted with
    // must not reproduce. It is registered as a model of its own, so that fraud v1 stays intact.
    ModelVersion v1 = demo.registry().version("fraud", production().version().version());
    String depth = v1.params().get("maxDepth");
    Map<String, String> params = new java.util.LinkedHashMap<>(v1.params());
    params.put("maxDepth", depth.equals("2") ? "4" : "2");
    int tampered = run(x -> demo.registry().register(v1.toBuilder().model("fraud_tampered").params(params).build(), x))
        .version();
    ReproduceResult r = run(x -> new ModelReproducer(demo.warehouse(), demo.store(), demo.registry())
        .reproduce("fraud_tampered", tampered, x));
    assertThat(r.identical()).as("identical").isFalse();
    assertThat(r.trainingRowsDiffering()).as("the pinned rows still match").isZero();
    assertThat(r.predictionsDiffering()).as("test predictions differing").isPositive();
    assertThat(r.differences()).as("differences").anySatisfy(d -> assertThat(d).startsWith("roc_auc: recorded "
        + v1.metrics().get("roc_auc") + ", reproduced "))
        .anySatisfy(d -> assertThat(d).endsWith(" of " + r.predictionsCompared()
            + " test predictions differ from those recorded at training"));
  }

  @Test
  void trainingRaisesTheHistoryRetentionOfEveryTableTheVersionPins() {
    ModelVersion v = demo.registry().version("fraud", production().version().version());
    List<TableName> pinned = new java.util.ArrayList<>();
    v.featurePins().forEach(p -> pinned.add(p.table().table()));
    pinned.add(v.trainingSet().table());
    v.sourceTables().forEach(t -> pinned.add(t.table()));
    assertThat(pinned).as("pinned tables").hasSizeGreaterThanOrEqualTo(6);
    for (TableName t : pinned) {
      Map<String, String> properties = new java.util.HashMap<>();
      spark.sql("SHOW TBLPROPERTIES " + t).collectAsList().forEach(row -> properties.put(row.getString(0), row.getString(1)));
      assertThat(properties).as("the properties of " + t + " (training.pin-retention: 365d by default)")
          .containsEntry("delta.logRetentionDuration", "interval 365 days")
          .containsEntry("delta.deletedFileRetentionDuration", "interval 365 days");
    }
  }

  @Test
  void aSavedTrainingSetIsTrainedOnWithItsLineageAndASetOfAnotherSpecIsRefused() {
    production();
    LoadedSpec quick = variant("grid: {maxDepth: [3, 5]}", "grid: {maxDepth: [3]}");
    LoadedSpec other = variant("grid: {maxDepth: [3, 5]}", "grid: {maxDepth: [5]}");
    TableName table = new TableName("ml", "training_saved_test");
    ModelTrainer trainer = new ModelTrainer(demo.warehouse(), demo.store(), demo.registry(), Clock.systemUTC(),
        CodeVersion.current());
    dev.mlops.training.sets.RecordedTrainingSet saved = run(r -> trainer.buildTrainingSet(quick, table, r));
    run(r -> trainer.buildTrainingSet(other, table, r)); // a later version of the table, for another spec text
    assertThat(demo.warehouse().current(table).version()).as("the table moved on").isEqualTo(saved.table().version() + 1);

    var read = dev.mlops.training.sets.RecordedTrainingSet.read(demo.warehouse(), table, saved.table().version());
    assertThat(read).as("the record read back from the Delta commit").isEqualTo(saved);
    assertThat(saved.rows()).isEqualTo(demo.warehouse().read(saved.table()).count()).isPositive();
    TrainResult r = run(x -> trainer.train(quick, read, "tester", false, x));
    ModelVersion v = demo.registry().version("fraud", r.version().version());
    assertThat(v.trainingSet()).as("the version pins the saved set's Delta version").isEqualTo(saved.table());
    assertThat(v.featurePins()).isEqualTo(saved.viewPins()).isNotEmpty();
    assertThat(v.sourceTables()).isEqualTo(saved.sources()).isNotEmpty();
    assertThat(r.trainingSet().rows()).isEqualTo(saved.rows());
    ReproduceResult again = run(x -> new ModelReproducer(demo.warehouse(), demo.store(), demo.registry())
        .reproduce("fraud", v.version(), x));
    assertThat(again.differences()).as("reproduced from the pins").isEmpty();

    var latest = dev.mlops.training.sets.RecordedTrainingSet.read(demo.warehouse(), table, null);
    assertThat(latest.table().version()).as("the latest set, not the commit of the retention the pins raised after it")
        .isEqualTo(saved.table().version() + 1).isLessThan(demo.warehouse().current(table).version());
    assertThatThrownBy(() -> run(x -> trainer.train(quick, latest, "tester", false, x)))
        .hasMessageStartingWith("Cannot train fraud on ml.training_saved_test@v" + latest.table().version()
            + ": it was built from another text of the spec (sha256 ")
        .hasMessageContaining("conf/models/fraud.yaml is sha256 ").hasMessageEndingWith("`mlops training-set --model fraud`,"
            + " then train on the version it prints");
    LoadedSpec renamed = variant("name: fraud\n", "name: fraud_renamed\n");
    assertThatThrownBy(() -> run(x -> trainer.train(renamed, read, "tester", false, x)))
        .hasMessageStartingWith("Cannot train fraud_renamed on " + saved.table() + ": it was built for model fraud;");
    assertThatThrownBy(() -> dev.mlops.training.sets.RecordedTrainingSet.read(demo.warehouse(),
        TableName.parse("raw.transactions"), 0L))
        .hasMessageStartingWith("Cannot train on raw.transactions@v0: that version was not written by `mlops training-set`");
    assertThatThrownBy(() -> dev.mlops.training.sets.RecordedTrainingSet.read(demo.warehouse(), table, 99L))
        .hasMessage("Cannot train on training set ml.training_saved_test@v99: the table's versions go from 0 to "
            + demo.warehouse().current(table).version() + "; name one of them, or the table alone for the latest set"
            + " saved in it");
  }

  @Test
  void aChallengerWorseThanProductionIsRefusedByTheGateWithTheFigures() {
    production();
    assertThat(fraud.recorded().text()).contains("request-features: [amount, channel, merchant_category]", "grid: {maxDepth: [3, 5]}");
    LoadedSpec weak = new ModelSpecLoader(k -> null).parse(fraud.recorded().text()
        .replace("request-features: [amount, channel, merchant_category]", "request-features: [channel]")
        .replace("grid: {maxDepth: [3, 5]}", "grid: {maxDepth: [3]}")
        .replace("feature-service: {name: fraud_detection, version: 1}",
            "feature-service: {name: fraud_detection, version: 1}\nfeatures: [customer_profile__birth_year]"),
        "conf/models/fraud.yaml");
    TrainResult r = train(weak);
    assertThat(r.gate().passed()).isFalse();
    assertThat(r.version().stage()).as("a refused version stays where it was registered").isEqualTo(Stage.NONE);
    assertThat(r.gate().championVersion()).isEqualTo(1);
    assertThat(r.gate().failures()).anySatisfy(m -> assertThat(m).contains("pr_auc", "vs Production fraud v1",
        "does not beat it"));
    assertThat(demo.registry().inStage("fraud", Stage.PRODUCTION).orElseThrow().version()).isEqualTo(1);
    assertThatThrownBy(() -> run(x -> demo.registry().transition("fraud", r.version().version(), Stage.PRODUCTION, "ann",
        "try", x)))
        .hasMessageContaining("its gate failed").hasMessageContaining("does not beat it");
  }

  @Test
  void badSpecsAreNamedByFileAndKey() {
    TableName set = ModelTrainer.trainingSetTable("fraud");
    var setVersion = demo.warehouse().currentVersion(set);
    int versions = demo.registry().versions("fraud").size();
    assertThatThrownBy(() -> train(variant("AND (l.transaction_id IS NOT NULL", "AND false AND (l.transaction_id IS NOT NULL")))
        .as("an empty training set").isInstanceOf(ConfigException.class).hasMessageStartingWith("conf/models/fraud.yaml:"
            + " spine.query: gives no rows, so the training set would be empty; check that its source tables hold the"
            + " dates it selects (nothing was written or registered)");
    assertThat(demo.warehouse().currentVersion(set)).as("no training set written").isEqualTo(setVersion);
    assertThat(demo.registry().versions("fraud")).as("nothing registered").hasSize(versions);
    assertThatThrownBy(() -> train(variant("feature-service: {name: fraud_detection, version: 1}",
        "feature-service: {name: fraud_detection, version: 1}\nfeatures: [customer_spend__nope]")))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("conf/models/fraud.yaml: features[0]: unknown feature"
            + " customer_spend__nope");
    assertThatThrownBy(() -> train(variant("label: is_fraud", "label: fraud_flag")))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("conf/models/fraud.yaml: spine.label: column fraud_flag is"
            + " not in the spine");
    assertThatThrownBy(() -> train(variant("fractions: {train: 0.6, validation: 0.2, test: 0.2}",
        "train-end: 2026-09-01\n  validation-end: 2026-10-05")))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("conf/models/fraud.yaml: split: leaves the train split empty");
    assertThatThrownBy(() -> train(variant("slices: [channel]", "slices: [chanel]")))
        .hasMessageStartingWith("conf/models/fraud.yaml: slices[0]: column chanel is not in the training set");
    assertThatThrownBy(() -> train(variant("attributes: [segment]", "attributes: [segmnt]")))
        .hasMessageStartingWith("conf/models/fraud.yaml: fairness.attributes[0]: column segmnt is not in the training set:"
            + " name a spine column or a feature of the service");
    assertThatThrownBy(() -> new ModelSpecLoader(k -> null).parse(fraud.recorded().text().replace("type: gbt", "type: xgboost"),
        "conf/models/fraud.yaml")).hasMessageContaining("conf/models/fraud.yaml: algorithm.type: unknown algorithm \"xgboost\"");
    assertThatThrownBy(() -> train(variant("grid: {maxDepth: [3, 5]}", "grid: {maxDepht: [3, 5]}")))
        .hasMessageContaining("conf/models/fraud.yaml: algorithm.grid.maxDepht: unknown parameter of gbt");
    assertThat(Files.exists(REPO.resolve("conf/models/fraud.yaml"))).isTrue();
  }
}
