package dev.mlops.jobs.cli;

import dev.mlops.core.config.Durations;
import dev.mlops.core.tables.TableName;
import dev.mlops.features.Feature;
import dev.mlops.features.FeatureStore;
import dev.mlops.features.materialize.MaterializationResult;
import dev.mlops.features.pit.TrainingSet;
import dev.mlops.features.pit.TrainingSetWriter;
import dev.mlops.features.registry.ApplyResult;
import dev.mlops.features.registry.FeatureRegistry;
import dev.mlops.features.registry.Materialization;
import dev.mlops.features.registry.RegisteredService;
import dev.mlops.features.registry.RegisteredView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code mlops features ...}: the offline feature store. */
@Command(name = "features",
    description = "Feature definitions, versioned feature tables and point-in-time retrieval.",
    subcommands = {FeaturesCommand.Apply.class, FeaturesCommand.ListViews.class, FeaturesCommand.Describe.class,
        FeaturesCommand.Materialize.class, FeaturesCommand.Historical.class,
        FeaturesCommand.Vacuum.class})
public final class FeaturesCommand {
  @ParentCommand MlopsCommand parent;

  CliContext context() {
    return new CliContext(parent.global, parent.output());
  }

  static List<String> args(picocli.CommandLine.Model.CommandSpec spec) {
    return spec.commandLine().getParseResult().originalArgs();
  }

  /** {@code features apply}. */
  @Command(name = "apply",
      description = "Validate the feature repository and record its definitions in the registry.")
  static final class Apply implements Callable<Integer> {
    @ParentCommand FeaturesCommand features;
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      CliContext ctx = features.context();
      Output out = ctx.output();
      out.progress("validating " + ctx.config().config().features().repo());
      FeatureStore store = ctx.featureStore();
      ApplyResult r = ctx.runs().run("features.apply", args(spec), store::apply);
      r.created().forEach(c -> out.human("created   " + c));
      r.updated().forEach(c -> out.human("updated   " + c));
      r.unchanged().forEach(c -> out.human("unchanged " + c));
      out.machine(Map.of("created", r.created(), "updated", r.updated(), "unchanged", r.unchanged()));
      return 0;
    }
  }

  /** {@code features list}. */
  @Command(name = "list", description = "List registered feature views and services.")
  static final class ListViews implements Callable<Integer> {
    @ParentCommand FeaturesCommand features;

    @Override
    public Integer call() {
      CliContext ctx = features.context();
      FeatureRegistry registry = new FeatureRegistry(ctx.warehouse(), java.time.Clock.systemUTC());
      List<Row> rows = new ArrayList<>();
      List<Map<String, Object>> json = new ArrayList<>();
      for (RegisteredView v : registry.views()) {
        List<Materialization> ms = registry.materializations(v.name(), v.version());
        String range = range(ms);
        String version = registry.tableVersion(v).map(t -> String.valueOf(t.version())).orElse("-");
        rows.add(RowFactory.create(v.name(), v.version(), v.kind(), String.join(",", v.entities()), v.features().size(),
            v.owner(), v.table().toString(), range, version));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("view", v.name());
        m.put("version", v.version());
        m.put("kind", v.kind());
        m.put("entities", v.entities());
        m.put("features", v.features().stream().map(Feature::name).toList());
        m.put("owner", v.owner());
        m.put("table", v.table().toString());
        m.put("materialized", range);
        m.put("table_version", version);
        json.add(m);
      }
      Output out = ctx.output();
      out.human(TablePrinter.render(new String[] {"view", "version", "kind", "entities", "features", "owner", "table",
          "materialized", "table version"}, rows));
      List<Row> services = new ArrayList<>();
      for (RegisteredService s : registry.services()) {
        services.add(RowFactory.create(s.name(), s.version(), s.features().size(), s.owner(),
            String.join(", ", s.features().stream().map(f -> f.view() + " v" + f.viewVersion()).distinct().toList())));
      }
      out.human(TablePrinter.render(new String[] {"service", "version", "features", "owner", "views"}, services));
      out.machine(Map.of("views", json, "services", registry.services().stream().map(s -> Map.of("service", s.name(),
          "version", s.version(), "features", s.features().stream().map(f -> f.outputName()).toList())).toList()));
      return 0;
    }
  }

  /** {@code features describe VIEW}. */
  @Command(name = "describe", description = "Show a feature view: features, types, owner, table, materializations.")
  static final class Describe implements Callable<Integer> {
    @ParentCommand FeaturesCommand features;

    @Parameters(index = "0", paramLabel = "VIEW", description = "The view's name.")
    String view;

    @Option(names = "--version", description = "The view's version (default: the highest registered).")
    Integer version;

    @Override
    public Integer call() {
      CliContext ctx = features.context();
      FeatureRegistry registry = new FeatureRegistry(ctx.warehouse(), java.time.Clock.systemUTC());
      RegisteredView v = registry.view(view, version);
      List<Materialization> ms = registry.materializations(v.name(), v.version());
      String tableVersion = registry.tableVersion(v).map(t -> String.valueOf(t.version())).orElse("-");
      Output out = ctx.output();
      out.human(v.id() + " (" + v.kind() + ")  " + v.description());
      out.human("  owner:        " + v.owner());
      out.human("  tags:         " + v.tags());
      out.human("  entities:     " + String.join(", ", v.entities()) + "  keys: "
          + String.join(", ", v.joinKeys().stream().map(k -> k.name() + " " + k.type().sqlName()).toList()));
      out.human("  ttl:          " + Durations.format(v.ttl()));
      out.human("  table:        " + v.table() + " (Delta version " + tableVersion + ")");
      out.human("  materialized: " + range(ms) + (ms.isEmpty() ? "" : " (last run " + ms.get(ms.size() - 1).runId() + ")"));
      out.human("  versions:     " + String.join(", ", registry.views().stream().filter(x -> x.name().equals(v.name()))
          .map(x -> "v" + x.version()).toList()));
      List<Row> rows = new ArrayList<>();
      for (Feature f : v.features()) {
        List<String> c = new ArrayList<>();
        if (!f.constraints().nullable()) {
          c.add("not null");
        }
        if (f.constraints().min() != null) {
          c.add(">= " + f.constraints().min());
        }
        if (f.constraints().max() != null) {
          c.add("<= " + f.constraints().max());
        }
        if (!f.constraints().allowed().isEmpty()) {
          c.add("in " + f.constraints().allowed());
        }
        rows.add(RowFactory.create(f.name(), f.type().sqlName(), String.join(", ", c), f.description()));
      }
      out.human(TablePrinter.render(new String[] {"feature", "type", "constraints", "description"}, rows));
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("view", v.name());
      json.put("version", v.version());
      json.put("kind", v.kind());
      json.put("owner", v.owner());
      json.put("tags", v.tags());
      json.put("entities", v.entities());
      json.put("ttl", Durations.format(v.ttl()));
      json.put("table", v.table().toString());
      json.put("table_version", tableVersion);
      json.put("materialized", range(ms));
      json.put("features", v.features().stream().map(f -> Map.of("name", f.name(), "type", f.type().sqlName(),
          "description", f.description())).toList());
      json.put("definition", v.definition());
      out.machine(json);
      return 0;
    }
  }

  /** {@code features materialize}. */
  @Command(name = "materialize",
      description = "Compute a feature view for a range of days and replace those days in its table.")
  static final class Materialize implements Callable<Integer> {
    @ParentCommand FeaturesCommand features;
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--view", required = true, description = "The view's name.")
    String view;

    @Option(names = "--version", description = "The view's version (default: its highest in the repository).")
    Integer version;

    @Option(names = "--start", description = "First day (feature time), yyyy-mm-dd (default: the day of the earliest"
        + " event the view sees, a full backfill).")
    LocalDate start;

    @Option(names = "--end", required = true, description = "Last day, included.")
    LocalDate end;

    @Override
    public Integer call() {
      CliContext ctx = features.context();
      Output out = ctx.output();
      FeatureStore store = ctx.featureStore();
      out.progress("materializing " + view + " for " + (start == null ? "its whole history" : start) + " .. " + end);
      MaterializationResult r = ctx.runs().run("features.materialize", args(spec), run -> start != null
          ? store.materialize(view, version, start, end, run)
          : store.backfill(view, version, end, run).orElseThrow(() -> CliErrors.nothingToBackfill(view)));
      out.human(describe(r));
      out.machine(Map.of("view", r.view(), "table", r.table().table().toString(), "table_version", r.table().version(),
          "rows", r.rows(), "expiry_rows", r.expiryRows(), "start", r.start().toString(), "end", r.end().toString()));
      return 0;
    }
  }

  /** {@code features historical}. */
  @Command(name = "historical",
      description = "Point-in-time join of a spine with a feature service's features; saves the result and its pins.")
  static final class Historical implements Callable<Integer> {
    @ParentCommand FeaturesCommand features;
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--service", required = true, description = "The feature service.")
    String service;

    @Option(names = "--service-version", description = "The service's version (default: its highest).")
    Integer serviceVersion;

    @Option(names = "--spine", required = true, description = "A table (database.table) or a path (Delta, Parquet, or .csv).")
    String spine;

    @Option(names = "--time-column", defaultValue = "event_ts", description = "The spine's time column (default: ${DEFAULT-VALUE}).")
    String timeColumn;

    @Option(names = "--out", required = true, description = "Where to save the result: a table (database.table) or a path.")
    String out;

    @Option(names = "--pin", paramLabel = "VIEW=VERSION", description = "Read VIEW's table at this Delta version (repeatable).")
    Map<String, Long> pins = new LinkedHashMap<>();

    @Override
    public Integer call() {
      CliContext ctx = features.context();
      Output output = ctx.output();
      FeatureStore store = ctx.featureStore();
      TrainingSetWriter.Written written = ctx.runs().run("features.historical", args(spec), run -> {
        Dataset<Row> spineRows = readSpine(ctx, spine, run);
        output.progress("joining " + service + " features as of each spine row's " + timeColumn);
        TrainingSet set = store.historical(service, serviceVersion, spineRows, timeColumn, pins, run);
        output.progress("writing " + out);
        TrainingSetWriter.Written w = new TrainingSetWriter(ctx.warehouse(), java.time.Clock.systemUTC())
            .write(set, out, spine, run);
        output.human(w.rows() + " rows -> " + w.output() + " (Delta version " + w.version() + ")");
        set.pins().forEach(p -> output.human("  pinned " + p));
        output.machine(Map.of("output", w.output(), "version", w.version(), "rows", w.rows(), "pins",
            set.pins().stream().map(p -> Map.of("view", p.view(), "view_version", p.viewVersion(),
                "table", p.table().table().toString(), "delta_version", p.table().version())).toList()));
        return w;
      });
      return written == null ? 1 : 0;
    }
  }

  /** {@code features vacuum}. */
  @Command(name = "vacuum",
      description = "Delete a view table's old files (Delta VACUUM), refusing when a model version's pins still need them.")
  static final class Vacuum implements Callable<Integer>, DryRun.OwnDryRun {
    @ParentCommand FeaturesCommand features;
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--view", required = true, description = "The view's name.")
    String view;

    @Option(names = "--version", description = "The view's version (default: its highest registered).")
    Integer version;

    @Option(names = "--retain", defaultValue = "168h", description = "Keep files removed less than this long ago (default:"
        + " ${DEFAULT-VALUE}, Delta's minimum; whole hours).")
    String retain;

    @Override
    public Integer call() {
      // The global --dry-run means here: list what would be deleted, delete nothing (this reads the table).
      boolean dryRun = features.parent.global.dryRun;
      CliContext ctx = features.context().readingTablesInDryRun();
      Output out = ctx.output();
      java.time.Duration keep = retain.strip().matches("0+\\s*[smhdw]") ? java.time.Duration.ZERO
          : Durations.parse(retain).orElseThrow(() -> CliErrors.badRetainArgument(retain));
      List<dev.mlops.features.TablePin> pins = ctx.modelRegistry().activePins();
      dev.mlops.features.maintenance.VacuumResult r = ctx.runs().run("features.vacuum", args(spec), run ->
          ctx.featureStore().vacuum(view, version, keep, pins, dryRun));
      out.human(String.format("%s %s: %,d files %s (retention %s; %d model pins checked)", r.table().table(),
          dryRun ? "dry run" : "vacuumed", r.filesDeleted(), dryRun ? "would be deleted" : "deleted", Durations.format(keep),
          r.pinsChecked().size()));
      r.sampleFiles().forEach(f -> out.human("  " + f));
      out.machine(Map.of("table", r.table().table().toString(), "dry_run", dryRun, "files", r.filesDeleted(),
          "sample", r.sampleFiles(), "pins_checked", r.pinsChecked().size()));
      return 0;
    }
  }

  static Dataset<Row> readSpine(CliContext ctx, String spine, dev.mlops.core.runs.JobRun run) {
    if (TrainingSetWriter.isTableName(spine)) {
      TableName t = TableName.parse(spine);
      if (ctx.warehouse().exists(t)) {
        return run.read(t);
      }
      return ctx.spark().table(spine);
    }
    if (spine.endsWith(".csv")) {
      return ctx.spark().read().option("header", "true").option("inferSchema", "true").csv(spine);
    }
    if (Files.isDirectory(Path.of(spine).resolve("_delta_log")) || spine.contains("://")) {
      return ctx.spark().read().format("delta").load(spine);
    }
    if (!Files.exists(Path.of(spine))) {
      throw CliErrors.spineNotFound(spine);
    }
    return ctx.spark().read().parquet(spine);
  }

  static String range(List<Materialization> ms) {
    if (ms.isEmpty()) {
      return "never";
    }
    java.time.Instant first = ms.stream().map(Materialization::start).min(java.time.Instant::compareTo).orElseThrow();
    java.time.Instant last = ms.stream().map(Materialization::end).max(java.time.Instant::compareTo).orElseThrow();
    return first.toString().substring(0, 10) + " .. " + last.minusSeconds(1).toString().substring(0, 10);
  }

  static String describe(MaterializationResult r) {
    return String.format("%s: %,d rows (%,d expiry) for %s .. %s -> %s", r.view(), r.rows(), r.expiryRows(),
        r.start().toString().substring(0, 10), r.end().minusSeconds(1).toString().substring(0, 10), r.table());
  }
}
