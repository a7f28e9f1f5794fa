package dev.mlops.features;

import dev.mlops.core.runs.JobRun;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.features.maintenance.FeatureVacuum;
import dev.mlops.features.maintenance.VacuumResult;
import dev.mlops.features.materialize.MaterializationResult;
import dev.mlops.features.materialize.Materializer;
import dev.mlops.features.pit.HistoricalRetrieval;
import dev.mlops.features.pit.TrainingSet;
import dev.mlops.features.registry.ApplyResult;
import dev.mlops.features.registry.FeatureRegistry;
import dev.mlops.features.repo.FeatureRepoLoader;
import dev.mlops.features.repo.SparkSchemaResolver;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Collection;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The offline feature store of one warehouse and one feature repository: applying definitions,
 * materializing views, point-in-time retrieval, and vacuuming feature tables without breaking
 * pinned versions. The entry point for jobs and notebooks.
 *
 * <p>Obtain one with {@link #open}. The repository is read and validated on first use. Not
 * thread-safe.
 */
public final class FeatureStore {
  private final Warehouse warehouse;
  private final Path repoDir;
  private final String repoName;
  private final Function<String, String> env;
  private final FeatureRegistry registry;
  private final Materializer materializer;
  private final HistoricalRetrieval retrieval;
  private FeatureRepo repo;

  private FeatureStore(Warehouse warehouse, Path repoDir, String repoName, Clock clock, Function<String, String> env) {
    this.warehouse = warehouse;
    this.repoDir = repoDir;
    this.repoName = repoName;
    this.env = env;
    this.registry = new FeatureRegistry(warehouse, clock);
    this.materializer = new Materializer(warehouse, registry, clock);
    this.retrieval = new HistoricalRetrieval(warehouse, registry);
  }

  /**
   * The feature store on {@code warehouse} whose definitions are in {@code repoDir}.
   *
   * @param repoName how the repository folder is named in messages
   * @param env environment lookup for {@code ${VAR}} in definitions
   */
  public static FeatureStore open(Warehouse warehouse, Path repoDir, String repoName, Clock clock, Function<String, String> env) {
    return new FeatureStore(warehouse, repoDir, repoName, clock, env);
  }

  /** The feature store of the warehouse's config ({@code features.repo}). */
  public static FeatureStore open(Warehouse warehouse, Clock clock) {
    Path repo = Path.of(warehouse.config().features().repo());
    return open(warehouse, repo, repo.toString(), clock, System::getenv);
  }

  /** The repository's definitions, loaded and validated on first use. */
  public FeatureRepo repo() {
    if (repo == null) {
      repo = new FeatureRepoLoader(env, new SparkSchemaResolver(warehouse.spark())).load(repoDir, repoName);
    }
    return repo;
  }

  /** The registry. */
  public FeatureRegistry registry() {
    return registry;
  }

  /** Registers the repository's definitions (see {@link FeatureRegistry#apply}). */
  public ApplyResult apply(JobRun run) {
    return registry.apply(repo(), run);
  }

  /** Materializes {@code view} (its highest version when {@code version} is null) for the given days. */
  public MaterializationResult materialize(String view, Integer version, LocalDate firstDay, LocalDate lastDay, JobRun run) {
    return materializer.materialize(repo().requireView(view, version), firstDay, lastDay, run);
  }

  /**
   * Materializes {@code view} from the day of the earliest event it sees through {@code lastDay}:
   * a full backfill. Returns empty when its source has no rows.
   */
  public java.util.Optional<MaterializationResult> backfill(String view, Integer version, LocalDate lastDay, JobRun run) {
    FeatureView v = repo().requireView(view, version);
    return materializer.earliestDay(v).map(first -> materializer.materialize(v, first.isAfter(lastDay) ? lastDay : first,
        lastDay, run));
  }

  /**
   * The point-in-time join of {@code spine} with service {@code service} (see
   * {@link HistoricalRetrieval#retrieve}).
   */
  public TrainingSet historical(String service, Integer version, Dataset<Row> spine, String timeColumn,
      Map<String, Long> pins, JobRun run) {
    return retrieval.retrieve(service, version, spine, timeColumn, pins, run);
  }

  /**
   * Vacuums the table of registered view {@code view} (its highest version when {@code version}
   * is null), refusing when a pin needs what it would delete (see {@link FeatureVacuum#vacuum}).
   */
  public VacuumResult vacuum(String view, Integer version, Duration retain, Collection<TablePin> pins, boolean dryRun) {
    return FeatureVacuum.vacuum(warehouse, registry.view(view, version).table(), retain, pins, dryRun);
  }

  /** The warehouse. */
  public Warehouse warehouse() {
    return warehouse;
  }
}
