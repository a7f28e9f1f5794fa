package dev.mlops.features.materialize;

import dev.mlops.core.PlatformException;
import dev.mlops.core.runs.JobRun;
import dev.mlops.core.spark.Identifiers;
import dev.mlops.core.spark.SparkJobs;
import dev.mlops.core.spark.SparkSessions;
import dev.mlops.core.tables.TableVersion;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.features.FeatureErrors;
import dev.mlops.features.FeatureView;
import dev.mlops.features.ViewQuery;
import dev.mlops.features.internal.SourceReader;
import dev.mlops.features.registry.DefinitionCodec;
import dev.mlops.features.registry.FeatureRegistry;
import dev.mlops.features.registry.FeatureTables;
import dev.mlops.features.registry.Materialization;
import dev.mlops.features.registry.RegisteredView;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Materializes a feature view version for a range of days into its Delta table: computes the
 * rows whose feature time falls in the range, checks the features' constraints, and replaces
 * exactly those days in one atomic commit (re-running never duplicates; a failure leaves the
 * previous data; of two racing on the same days, one commits and the other fails naming the
 * race). The commit info carries the view, its version, its definition hash and the run.
 * The rows are laid out a file a month or a day, and the small files of the months written are
 * merged afterwards in a commit of their own that changes no data ({@link FileLayout}).
 *
 * <p>Thread-safe as far as the session is.
 */
public final class Materializer {
  private final Warehouse warehouse;
  private final FeatureRegistry registry;
  private final Clock clock;

  public Materializer(Warehouse warehouse, FeatureRegistry registry, Clock clock) {
    this.warehouse = warehouse;
    this.registry = registry;
    this.clock = clock;
  }

  /**
   * The rows of aggregation view {@code view} with feature time in {@code [start, end)}, computed
   * from {@code sourceRows} in one pass, in the table's layout plus the boolean
   * {@code _expired} column; nothing is written. For benchmarks and tools.
   */
  public static Dataset<Row> aggregationRows(FeatureView view, Dataset<Row> sourceRows, Instant start, Instant end, Instant now) {
    return AggregationComputer.compute(view, sourceRows, start, end, now);
  }

  /**
   * The day of the earliest event {@code view} would see: where a full backfill starts. Empty when
   * the source has no rows.
   */
  public java.util.Optional<LocalDate> earliestDay(FeatureView view) {
    SparkSession spark = warehouse.spark();
    Row min;
    if (view.query() instanceof ViewQuery.Aggregation agg) {
      min = new SourceReader(spark).read(agg.source()).selectExpr("min(" + Identifiers.quote(agg.source().eventTime()) + ")").first();
    } else {
      ViewQuery.Sql q = (ViewQuery.Sql) view.query();
      SparkSession session = SparkSessions.isolated(spark);
      SourceReader reader = new SourceReader(session);
      q.sources().forEach(src -> reader.read(src).createOrReplaceTempView(src.name()));
      min = session.sql(q.sql()).selectExpr("min(" + Identifiers.quote(q.eventTime()) + ")").first();
    }
    return min.isNullAt(0) ? java.util.Optional.empty()
        : java.util.Optional.of(min.getTimestamp(0).toInstant().atZone(ZoneOffset.UTC).toLocalDate());
  }

  /**
   * Materializes {@code view} for the days {@code firstDay} to {@code lastDay}, both included.
   *
   * @throws PlatformException when the view is not applied, its definition changed since, the
   *     range is empty, or a constraint is violated
   */
  public MaterializationResult materialize(FeatureView view, LocalDate firstDay, LocalDate lastDay, JobRun run) {
    if (lastDay.isBefore(firstDay)) {
      throw FeatureErrors.rangeReversed(view.id(), firstDay, lastDay);
    }
    RegisteredView registered = registry.view(view.name(), view.version());
    String hash = DefinitionCodec.hash(DefinitionCodec.flatten(view, true));
    if (!registered.semanticHash().equals(hash)) {
      throw FeatureErrors.definitionChanged(view.id(),
          DefinitionCodec.diff(registered.definition(), DefinitionCodec.flatten(view, false)));
    }
    return SparkJobs.inGroup(warehouse.spark(), "materialize-" + view.name(), "materialize " + view.id() + " " + firstDay
        + ".." + lastDay, () -> computeAndWrite(view, registered, hash, firstDay, lastDay, run));
  }

  private MaterializationResult computeAndWrite(FeatureView view, RegisteredView registered, String hash, LocalDate firstDay,
      LocalDate lastDay, JobRun run) {
    Instant start = firstDay.atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant end = lastDay.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant now = clock.instant();
    Dataset<Row> rows = compute(view, start, end, now, run).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      ConstraintChecker.check(view, rows);
      Row counts = rows.selectExpr("count(*)", "count_if(" + AggregationComputer.EXPIRED + ")").first();
      Map<String, String> info = new LinkedHashMap<>(run.commitInfo());
      info.put("view", view.name());
      info.put("view_version", String.valueOf(view.version()));
      info.put("definition_hash", hash);
      info.put("range", firstDay + ".." + lastDay);
      TableVersion written = write(view, rows, counts.getLong(0), firstDay, lastDay, info);
      run.output(written);
      registry.recordMaterialization(new Materialization(view.name(), view.version(), start, end, counts.getLong(0),
          written.version(), run.runId(), now), registered, run);
      FileLayout.compact(warehouse, view.table(), firstDay, lastDay, info);
      return new MaterializationResult(view.id(), written, start, end, counts.getLong(0), counts.getLong(1));
    } finally {
      rows.unpersist();
    }
  }

  /** The view's rows with feature time in {@code [start, end)}, in the table's layout plus {@code _expired}. */
  private Dataset<Row> compute(FeatureView view, Instant start, Instant end, Instant now, JobRun run) {
    SparkSession spark = warehouse.spark();
    if (view.query() instanceof ViewQuery.Aggregation agg) {
      Dataset<Row> source = new SourceReader(spark, warehouse, run).read(agg.source());
      return AggregationComputer.compute(view, source, start, end, now);
    }
    SparkSession session = SparkSessions.isolated(spark);
    return SqlViewComputer.compute(view, session, new SourceReader(session, warehouse, run), start, end, now);
  }

  /** Replaces the days {@code firstDay .. lastDay} of the view's table with {@code rows}, in one commit. */
  private TableVersion write(FeatureView view, Dataset<Row> rows, long count, LocalDate firstDay, LocalDate lastDay,
      Map<String, String> info) {
    Column[] columns = Arrays.stream(FeatureTables.schema(view.joinKeys(), view.features()).fieldNames())
        .map(Identifiers::column).toArray(Column[]::new);
    try {
      return warehouse.write(rows.select(columns).repartition(FileLayout.fileGroups(count, firstDay, lastDay)), view.table())
          .replacing("date >= DATE'" + firstDay + "' AND date <= DATE'" + lastDay + "'")
          .commitInfo(info)
          .commit();
    } catch (java.util.ConcurrentModificationException e) {
      // Delta's conflict check refused the commit: another job changed these days since this one read the table.
      throw FeatureErrors.materializationRaced(view.id(), firstDay, lastDay, view.table(), e);
    }
  }
}
