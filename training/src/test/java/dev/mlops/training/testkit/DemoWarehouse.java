package dev.mlops.training.testkit;

import dev.mlops.core.demo.DemoDataSpec;
import dev.mlops.core.demo.DemoDataWriter;
import dev.mlops.core.runs.JobRun;
import dev.mlops.core.runs.RunRecorder;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.features.FeatureStore;
import dev.mlops.features.FeatureView;
import dev.mlops.testkit.TestPlatform;
import dev.mlops.training.registry.DeltaModelRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.SparkSession;

/**
 * A fresh test warehouse holding the demo data, the repository's own features
 * ({@code conf/features}) applied and backfilled up to the day before the demo's last day, and an
 * empty model registry: what a test needs to train or score the repository's models. Create it in
 * {@code @BeforeAll} from a {@code @TempDir}:
 *
 * <pre>{@code
 * @TempDir static Path dir;
 * static DemoWarehouse demo;
 * @BeforeAll static void setUp() { demo = DemoWarehouse.create(dir, DEMO); }
 * }</pre>
 *
 * <p>Immutable; it is as thread-safe as the warehouse and session it holds (tests use it from one
 * thread).
 *
 * @param platform the test platform under it
 * @param warehouse its warehouse
 * @param runs records the jobs run by {@link #run}
 * @param store the feature store over {@code conf/features}
 * @param registry the model registry, empty when created
 */
public record DemoWarehouse(TestPlatform platform, Warehouse warehouse, RunRecorder runs, FeatureStore store,
    DeltaModelRegistry registry) {

  /** The repository's root, where {@code conf/} is. */
  public static final Path REPO = Path.of(System.getProperty("mlops.repo.root", "..")).toAbsolutePath().normalize();

  /** A new warehouse under {@code dir} with the demo data of {@code demo} and its features backfilled. */
  public static DemoWarehouse create(Path dir, DemoDataSpec demo) {
    TestPlatform platform = TestPlatform.create(dir);
    Warehouse warehouse = Warehouse.of(platform.spark(), platform.config());
    RunRecorder runs = platform.runs(warehouse, Clock.systemUTC());
    run(runs, r -> new DemoDataWriter(warehouse).write(demo, r, m -> {}));
    FeatureStore store = FeatureStore.open(warehouse, REPO.resolve("conf/features"), "conf/features", Clock.systemUTC(),
        k -> null);
    run(runs, store::apply);
    for (FeatureView v : store.repo().views()) {
      run(runs, r -> store.backfill(v.name(), v.version(), demo.end().minusDays(1), r).orElseThrow());
    }
    return new DemoWarehouse(platform, warehouse, runs, store, new DeltaModelRegistry(warehouse, Clock.systemUTC()));
  }

  /** The warehouse's session. */
  public SparkSession spark() {
    return platform.spark();
  }

  /** Runs {@code body} as a recorded job named {@code test}. */
  public <T> T run(Function<JobRun, T> body) {
    return run(runs, body);
  }

  private static <T> T run(RunRecorder runs, Function<JobRun, T> body) {
    return runs.run("test", List.of(), body);
  }
}
