package dev.mlops.features.repo;

import dev.mlops.core.PlatformException;
import dev.mlops.core.config.ConfigException;
import dev.mlops.core.config.DidYouMean;
import dev.mlops.core.config.Durations;
import dev.mlops.core.config.Problems;
import dev.mlops.core.config.YamlBinder;
import dev.mlops.core.spark.Identifiers;
import dev.mlops.core.tables.TableName;
import dev.mlops.features.AggregateFunction;
import dev.mlops.features.Constraints;
import dev.mlops.features.DerivedFeature;
import dev.mlops.features.Entity;
import dev.mlops.features.Feature;
import dev.mlops.features.FeatureErrors;
import dev.mlops.features.FeatureRef;
import dev.mlops.features.FeatureRepo;
import dev.mlops.features.FeatureService;
import dev.mlops.features.FeatureView;
import dev.mlops.features.JoinKey;
import dev.mlops.features.Source;
import dev.mlops.features.SourceLocation;
import dev.mlops.features.ValueType;
import dev.mlops.features.ViewQuery;
import dev.mlops.features.WindowedAggregate;
import dev.mlops.features.registry.FeatureTables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Loads a feature repository: every {@code *.yaml} file of a folder ({@code conf/features}), each
 * holding any of {@code entities}, {@code sources}, {@code feature-views} and
 * {@code feature-services}. Validates everything, against the sources' real schemas too, and
 * reports every problem at once, each naming the file and the path inside it:
 * {@code conf/features/customer.yaml: feature-views[0].features[2].column: unknown column "amout"}.
 *
 * <p>Thread-safe as far as its {@link SchemaResolver} is.
 */
public final class FeatureRepoLoader {
  private static final String IDENT = "[a-z_][a-z0-9_]*";
  private static final Set<String> RESERVED = Set.of(FeatureTables.FEATURE_TS, FeatureTables.CREATED_TS, FeatureTables.DATE,
      FeatureTables.MONTH);
  private static final Set<String> FORMATS = Set.of("delta", "parquet", "csv");

  private final YamlBinder binder;
  private final SchemaResolver schemas;

  /**
   * @param env environment lookup for {@code ${VAR}} in the files
   * @param schemas resolves source and query schemas
   */
  public FeatureRepoLoader(Function<String, String> env, SchemaResolver schemas) {
    this.binder = new YamlBinder(env);
    this.schemas = schemas;
  }

  /**
   * Loads and validates every YAML file of {@code dir}.
   *
   * @param displayDir how the folder is named in messages ({@code conf/features})
   * @throws PlatformException when the folder is missing or empty
   * @throws ConfigException listing every problem of its files
   */
  public FeatureRepo load(Path dir, String displayDir) {
    return loadTexts(texts(dir, displayDir));
  }

  /**
   * The names of the views and services of the repository in {@code dir}, read without resolving
   * any schema (no Spark): what a dry run checks a command's {@code --view} and {@code --service}
   * against.
   *
   * @throws ConfigException listing the files that are not valid definitions
   */
  public RepoNames names(Path dir, String displayDir) {
    Problems problems = new Problems("the feature repository");
    java.util.Set<String> views = new java.util.TreeSet<>();
    java.util.Set<String> services = new java.util.TreeSet<>();
    for (Map.Entry<String, String> f : texts(dir, displayDir).entrySet()) {
      try {
        RepoFileDef def = binder.parse(f.getValue(), f.getKey(), RepoFileDef.class);
        def.featureViews().forEach(v -> views.add(v.name()));
        def.featureServices().forEach(v -> services.add(v.name()));
      } catch (ConfigException e) {
        problems.add(e);
      }
    }
    problems.throwIfAny();
    return new RepoNames(views, services);
  }

  /** The view and service names of a repository. */
  public record RepoNames(java.util.Set<String> views, java.util.Set<String> services) {}

  private static Map<String, String> texts(Path dir, String displayDir) {
    if (!Files.isDirectory(dir)) {
      throw FeatureErrors.repoFolderMissing(displayDir);
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + displayDir, e);
    }
    if (files.isEmpty()) {
      throw FeatureErrors.repoEmpty(displayDir);
    }
    Map<String, String> texts = new LinkedHashMap<>();
    for (Path f : files) {
      try {
        texts.put(displayDir + "/" + f.getFileName(), Files.readString(f, StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read " + f, e);
      }
    }
    return texts;
  }

  /** Loads definitions from texts keyed by their file names (for tests and tools). */
  public FeatureRepo loadTexts(Map<String, String> files) {
    Problems problems = new Problems("the feature repository");
    Map<String, RepoFileDef> parsed = new LinkedHashMap<>();
    for (Map.Entry<String, String> f : files.entrySet()) {
      try {
        parsed.put(f.getKey(), binder.parse(f.getValue(), f.getKey(), RepoFileDef.class));
      } catch (ConfigException e) {
        problems.add(e);
      }
    }
    problems.throwIfAny();
    return new Conversion(parsed, problems).run();
  }

  /** A definition and where it was written. */
  private record Located<T>(String file, String path, T def) {
    String at(String sub) {
      return file + ": " + path + (sub.isEmpty() ? "" : "." + sub);
    }
  }

  /** What a check of several definitions kept, and whether all of them were valid. */
  private record Checked<T>(T value, boolean ok) {}

  private final class Conversion {
    private final Map<String, RepoFileDef> files;
    private final Problems problems;
    private final Map<String, Entity> entities = new LinkedHashMap<>();
    private final Map<String, Source> sources = new LinkedHashMap<>();
    private final Map<String, StructType> sourceSchemas = new LinkedHashMap<>();
    private final Map<String, FeatureView> views = new LinkedHashMap<>();
    private final List<FeatureService> services = new ArrayList<>();

    Conversion(Map<String, RepoFileDef> files, Problems problems) {
      this.files = files;
      this.problems = problems;
    }

    FeatureRepo run() {
      List<Located<EntityDef>> entityDefs = new ArrayList<>();
      List<Located<SourceDef>> sourceDefs = new ArrayList<>();
      List<Located<ViewDef>> viewDefs = new ArrayList<>();
      List<Located<ServiceDef>> serviceDefs = new ArrayList<>();
      files.forEach((file, def) -> {
        for (int i = 0; i < def.entities().size(); i++) {
          entityDefs.add(new Located<>(file, "entities[" + i + "]", def.entities().get(i)));
        }
        for (int i = 0; i < def.sources().size(); i++) {
          sourceDefs.add(new Located<>(file, "sources[" + i + "]", def.sources().get(i)));
        }
        for (int i = 0; i < def.featureViews().size(); i++) {
          viewDefs.add(new Located<>(file, "feature-views[" + i + "]", def.featureViews().get(i)));
        }
        for (int i = 0; i < def.featureServices().size(); i++) {
          serviceDefs.add(new Located<>(file, "feature-services[" + i + "]", def.featureServices().get(i)));
        }
      });
      Map<String, String> seen = new LinkedHashMap<>();
      entityDefs.forEach(e -> entity(e, seen));
      seen.clear();
      sourceDefs.forEach(s -> source(s, seen));
      seen.clear();
      viewDefs.forEach(v -> view(v, seen));
      seen.clear();
      serviceDefs.forEach(s -> service(s, seen));
      problems.throwIfAny();
      return new FeatureRepo(List.copyOf(entities.values()), List.copyOf(sources.values()),
          List.copyOf(views.values()), services);
    }

    private boolean name(Located<?> at, String name, String kind, Map<String, String> seen) {
      if (name == null || name.isBlank()) {
        problems.add(at.at("name"), "is required");
        return false;
      }
      if (!name.matches(IDENT)) {
        problems.add(at.at("name"), kind + " name \"" + name + "\" must be lower-case letters, digits and '_'");
        return false;
      }
      return true;
    }

    private boolean unique(Located<?> at, String key, String what, Map<String, String> seen) {
      String previous = seen.putIfAbsent(key, at.at(""));
      if (previous != null) {
        problems.add(at.at("name"), "duplicate " + what + " (also defined at " + previous + ")");
        return false;
      }
      return true;
    }

    // ---- entities ----------------------------------------------------------------------------

    private void entity(Located<EntityDef> at, Map<String, String> seen) {
      EntityDef d = at.def();
      if (!name(at, d.name(), "entity", seen) || !unique(at, d.name(), "entity " + d.name(), seen)) {
        return;
      }
      if (d.joinKeys() == null || d.joinKeys().isEmpty()) {
        problems.add(at.at("join-keys"), "is required: one or more {name, type}");
        return;
      }
      List<JoinKey> keys = new ArrayList<>();
      Set<String> names = new HashSet<>();
      for (int i = 0; i < d.joinKeys().size(); i++) {
        KeyDef k = d.joinKeys().get(i);
        String p = "join-keys[" + i + "]";
        if (k.name() == null || !k.name().matches(IDENT)) {
          problems.add(at.at(p + ".name"), "must be a lower-case column name, got " + quote(k.name()));
          continue;
        }
        if (!names.add(k.name())) {
          problems.add(at.at(p + ".name"), "duplicate join key " + k.name());
          continue;
        }
        ValueType t = ValueType.parse(k.type()).orElse(null);
        if (t == null || !(t == ValueType.BIGINT || t == ValueType.INT || t == ValueType.STRING)) {
          problems.add(at.at(p + ".type"), "join keys are bigint, int or string, got " + quote(k.type()));
          continue;
        }
        keys.add(new JoinKey(k.name(), t));
      }
      if (keys.size() == d.joinKeys().size()) {
        entities.put(d.name(), new Entity(d.name(), keys, d.description()));
      }
    }

    // ---- sources -----------------------------------------------------------------------------

    private void source(Located<SourceDef> at, Map<String, String> seen) {
      SourceDef d = at.def();
      if (!name(at, d.name(), "source", seen) || !unique(at, d.name(), "source " + d.name(), seen)) {
        return;
      }
      int kinds = (d.table() != null ? 1 : 0) + (d.path() != null ? 1 : 0) + (d.query() != null ? 1 : 0);
      if (kinds != 1) {
        problems.add(at.at(""), "give exactly one of table, path (with format) or query");
        return;
      }
      SourceLocation location;
      if (d.table() != null) {
        try {
          location = new SourceLocation.Table(TableName.parse(d.table()));
        } catch (IllegalArgumentException e) {
          problems.add(at.at("table"), e.getMessage());
          return;
        }
      } else if (d.path() != null) {
        String format = d.format() == null ? "delta" : d.format().toLowerCase(Locale.ROOT);
        if (!FORMATS.contains(format)) {
          problems.add(at.at("format"), "expected delta, parquet or csv, got " + quote(d.format()));
          return;
        }
        location = new SourceLocation.Path(d.path(), format);
      } else {
        location = new SourceLocation.Query(d.query());
      }
      if (d.format() != null && d.path() == null) {
        problems.add(at.at("format"), "applies to a path source only");
      }
      if (d.eventTime() == null) {
        problems.add(at.at("event-time"), "is required: the column with each row's event time");
        return;
      }
      Source source = new Source(d.name(), location, d.eventTime(), d.createdTime(), d.partitionColumn(), d.description());
      StructType schema;
      try {
        schema = schemas.source(source);
      } catch (SchemaResolver.SchemaException e) {
        problems.add(at.at(d.table() != null ? "table" : d.path() != null ? "path" : "query"),
            "cannot be read: " + firstLine(e.getMessage()));
        return;
      }
      boolean ok = column(at, "event-time", schema, d.eventTime(), Set.of(DataTypes.TimestampType), "timestamp");
      if (d.createdTime() != null) {
        ok &= column(at, "created-time", schema, d.createdTime(), Set.of(DataTypes.TimestampType), "timestamp");
      }
      if (d.partitionColumn() != null) {
        ok &= column(at, "partition-column", schema, d.partitionColumn(), Set.of(DataTypes.DateType), "date");
      }
      if (ok) {
        sources.put(d.name(), source);
        sourceSchemas.put(d.name(), schema);
      }
    }

    private boolean column(Located<?> at, String key, StructType schema, String column, Set<DataType> types, String typeName) {
      StructField f = field(schema, column);
      if (f == null) {
        problems.add(at.at(key), "unknown column " + quote(column) + columnsHint(schema, column));
        return false;
      }
      if (!types.contains(f.dataType())) {
        problems.add(at.at(key), "column " + column + " is " + f.dataType().simpleString() + ", expected " + typeName);
        return false;
      }
      return true;
    }

    // ---- views -------------------------------------------------------------------------------

    private void view(Located<ViewDef> at, Map<String, String> seen) {
      ViewDef d = at.def();
      if (!name(at, d.name(), "feature view", seen)) {
        return;
      }
      if (d.version() == null || d.version() < 1) {
        problems.add(at.at("version"), "is required: a positive integer, bumped whenever the definition changes");
        return;
      }
      if (!unique(at, d.name() + "@" + d.version(), "feature view " + d.name() + " v" + d.version(), seen)) {
        return;
      }
      List<Entity> viewEntities = new ArrayList<>();
      if (d.entities() == null || d.entities().isEmpty()) {
        problems.add(at.at("entities"), "is required: the entities whose keys the rows have");
        return;
      }
      for (int i = 0; i < d.entities().size(); i++) {
        Entity e = entities.get(d.entities().get(i));
        if (e == null) {
          problems.add(at.at("entities[" + i + "]"), "unknown entity " + quote(d.entities().get(i))
              + DidYouMean.hint(String.valueOf(d.entities().get(i)), entities.keySet()));
          return;
        }
        viewEntities.add(e);
      }
      Duration ttl = Durations.parse(d.ttl()).orElse(null);
      if (ttl == null) {
        problems.add(at.at("ttl"), "is required: how long rows stay valid, like 30d or 12h, got " + quote(d.ttl()));
        return;
      }
      if ((d.aggregation() == null) == (d.sql() == null)) {
        problems.add(at.at(""), "give exactly one of aggregation (with source) or sql (with sources)");
        return;
      }
      FeatureView.Builder b = FeatureView.builder(d.name(), d.version()).description(d.description())
          .owner(d.owner()).ttl(ttl);
      if (d.tags() != null) {
        d.tags().forEach(b::tag);
      }
      viewEntities.forEach(b::entity);
      List<JoinKey> keys = viewEntities.stream().flatMap(e -> e.joinKeys().stream()).toList();
      boolean ok = d.aggregation() != null ? aggregation(at, d, b, keys, ttl) : sqlView(at, d, b, keys);
      if (ok) {
        FeatureView v = b.build();
        views.put(d.name() + "@" + d.version(), v);
      }
    }

    private boolean aggregation(Located<ViewDef> at, ViewDef d, FeatureView.Builder b, List<JoinKey> keys, Duration ttl) {
      if (d.sql() != null || d.sources() != null || d.eventTime() != null || d.createdTime() != null) {
        problems.add(at.at(""), "an aggregation view takes source, not sources, sql, event-time or created-time");
        return false;
      }
      Source source = sources.get(d.source());
      if (source == null) {
        problems.add(at.at("source"), d.source() == null ? "is required" : "unknown source " + quote(d.source())
            + DidYouMean.hint(d.source(), sources.keySet()));
        return false;
      }
      StructType schema = sourceSchemas.get(source.name());
      boolean ok = keysIn(at, "source", schema, keys, "source " + source.name());
      AggregationDef agg = d.aggregation();
      Duration granularity = Durations.parse(agg.granularity()).orElse(null);
      if (granularity == null) {
        problems.add(at.at("aggregation.granularity"), "is required: the step between evaluations, like 1h or 1d, got "
            + quote(agg.granularity()));
        return false;
      }
      List<Duration> windows = windows(at, agg, granularity);
      if (windows == null) {
        return false;
      }
      ok &= ttlFits(at, d, ttl, granularity, windows);
      if (agg.filter() != null) {
        ok &= expression(at, "aggregation.filter", schema, agg.filter(), true) != null;
      }
      if (d.features() == null || d.features().isEmpty()) {
        problems.add(at.at("features"), "is required: at least one feature");
        return false;
      }
      Set<String> names = new HashSet<>();
      keys.forEach(k -> names.add(k.name()));
      Checked<List<WindowedAggregate>> aggregates = aggregates(at, d.features(), schema, windows, names);
      Checked<List<DerivedFeature>> derived = derived(at, d.features(), columnsOf(aggregates.value()), names);
      if (ok && aggregates.ok() && derived.ok()) {
        b.aggregation(new ViewQuery.Aggregation(source, granularity, windows, agg.filter(), aggregates.value(),
            derived.value()));
        return true;
      }
      return false;
    }

    /**
     * The view's trailing windows; null, with the problem added, when they are missing, or one is
     * not a duration, not a multiple of the granularity, or repeated.
     */
    private List<Duration> windows(Located<ViewDef> at, AggregationDef agg, Duration granularity) {
      if (agg.windows() == null || agg.windows().isEmpty()) {
        problems.add(at.at("aggregation.windows"), "is required: the trailing windows, like [1h, 1d, 7d]");
        return null;
      }
      List<Duration> windows = new ArrayList<>();
      for (int i = 0; i < agg.windows().size(); i++) {
        Duration w = Durations.parse(agg.windows().get(i)).orElse(null);
        String p = "aggregation.windows[" + i + "]";
        if (w == null) {
          problems.add(at.at(p), "expected a duration like 7d, got " + quote(agg.windows().get(i)));
          return null;
        }
        if (w.toSeconds() % granularity.toSeconds() != 0) {
          problems.add(at.at(p), "window " + agg.windows().get(i) + " is not a multiple of the granularity "
              + agg.granularity());
          return null;
        }
        if (windows.contains(w)) {
          problems.add(at.at(p), "duplicate window " + agg.windows().get(i));
          return null;
        }
        windows.add(w);
      }
      return windows;
    }

    /** Whether the view's ttl covers its longest window and falls on granularity boundaries; adds the problems. */
    private boolean ttlFits(Located<ViewDef> at, ViewDef d, Duration ttl, Duration granularity, List<Duration> windows) {
      boolean ok = true;
      Duration longest = windows.stream().max(Duration::compareTo).orElseThrow();
      if (ttl.compareTo(longest) < 0) {
        problems.add(at.at("ttl"), "ttl " + d.ttl() + " is shorter than the longest window " + Durations.format(longest)
            + ": values would expire while the window still holds events");
        ok = false;
      }
      if (ttl.toSeconds() % granularity.toSeconds() != 0) {
        problems.add(at.at("ttl"), "ttl " + d.ttl() + " is not a multiple of the granularity "
            + d.aggregation().granularity() + " (rows expire on boundaries)");
        ok = false;
      }
      return ok;
    }

    /**
     * The view's windowed aggregates (its features that are not derived), each name added to
     * {@code names}; not ok when one is invalid or a name is taken.
     */
    private Checked<List<WindowedAggregate>> aggregates(Located<ViewDef> at, List<FeatureDef> features, StructType schema,
        List<Duration> windows, Set<String> names) {
      List<WindowedAggregate> aggregates = new ArrayList<>();
      boolean ok = true;
      for (int i = 0; i < features.size(); i++) {
        FeatureDef f = features.get(i);
        String p = "features[" + i + "]";
        if (f.derived() != null) {
          continue;
        }
        WindowedAggregate a = aggregate(at, p, f, schema, windows);
        if (a == null) {
          ok = false;
          continue;
        }
        for (Duration w : a.windows()) {
          ok &= newName(at, p, a.featureName(w), names);
        }
        aggregates.add(a);
      }
      return new Checked<>(aggregates, ok);
    }

    /** The columns the aggregates make, one a window: what derived features compute from. */
    private static StructType columnsOf(List<WindowedAggregate> aggregates) {
      StructType columns = new StructType();
      for (WindowedAggregate a : aggregates) {
        for (Duration w : a.windows()) {
          columns = columns.add(a.featureName(w), a.type().sparkType());
        }
      }
      return columns;
    }

    /**
     * The view's derived features, computed from {@code aggregated}, each name added to
     * {@code names}; not ok when one is invalid, its name is taken or its expression's type is not
     * the declared one.
     */
    private Checked<List<DerivedFeature>> derived(Located<ViewDef> at, List<FeatureDef> features, StructType aggregated,
        Set<String> names) {
      List<DerivedFeature> derived = new ArrayList<>();
      boolean ok = true;
      for (int i = 0; i < features.size(); i++) {
        FeatureDef f = features.get(i);
        if (f.derived() == null) {
          continue;
        }
        String p = "features[" + i + "]";
        if (f.function() != null || f.column() != null || f.expression() != null || f.windows() != null || f.filter() != null) {
          problems.add(at.at(p), "a derived feature takes name, type, derived and constraints only");
          ok = false;
          continue;
        }
        Feature feature = plainFeature(at, p, f);
        if (feature == null || !newName(at, p, feature.name(), names)) {
          ok = false;
          continue;
        }
        DataType t = expression(at, p + ".derived", aggregated, f.derived(), false);
        if (t != null && !t.equals(feature.type().sparkType())) {
          problems.add(at.at(p + ".type"), "declared " + feature.type().sqlName() + " but the expression yields "
              + t.simpleString() + " (cast it in the expression)");
          ok = false;
        }
        derived.add(new DerivedFeature(feature, f.derived()));
      }
      return new Checked<>(derived, ok);
    }

    /** Adds {@code name} to {@code names}; false, with the problem added, when it is taken or reserved. */
    private boolean newName(Located<ViewDef> at, String p, String name, Set<String> names) {
      if (!names.add(name) || RESERVED.contains(name)) {
        problems.add(at.at(p + ".name"), "feature " + name + " is defined twice or clashes with a key or reserved column");
        return false;
      }
      return true;
    }

    private WindowedAggregate aggregate(Located<ViewDef> at, String p, FeatureDef f, StructType schema, List<Duration> viewWindows) {
      if (f.name() == null || !f.name().matches(IDENT)) {
        problems.add(at.at(p + ".name"), "must be a lower-case name, got " + quote(f.name()));
        return null;
      }
      AggregateFunction fn = AggregateFunction.parse(f.function()).orElse(null);
      if (fn == null) {
        problems.add(at.at(p + ".function"), (f.function() == null ? "is required" : "unknown function " + quote(f.function()))
            + " (one of " + AggregateFunction.names() + "; or give derived: for a computed feature)");
        return null;
      }
      if (f.column() != null && f.expression() != null) {
        problems.add(at.at(p), "give column or expression, not both");
        return null;
      }
      String input = f.column() != null ? Identifiers.quote(f.column()) : f.expression();
      if (input == null && fn.needsInput()) {
        problems.add(at.at(p + ".column"), "is required for " + fn.sqlName());
        return null;
      }
      ValueType inputType = input == null ? null : inputType(at, p, f, fn, schema, input);
      if ((input != null && inputType == null)
          || (f.filter() != null && expression(at, p + ".filter", schema, f.filter(), true) == null)) {
        return null;
      }
      List<Duration> windows = featureWindows(at, p, f, viewWindows);
      ValueType declared = windows == null ? null : declaredType(at, p, f, fn, inputType);
      Constraints c = declared == null ? null : constraints(at, p, f.constraints(), declared);
      return c == null ? null
          : new WindowedAggregate(f.name(), fn, input, f.filter(), windows, declared, f.description(), c);
    }

    /** An aggregate's input type; null, with the problem added, when it is unknown or {@code fn} cannot take it. */
    private ValueType inputType(Located<ViewDef> at, String p, FeatureDef f, AggregateFunction fn, StructType schema,
        String input) {
      String key = p + (f.column() != null ? ".column" : ".expression");
      if (f.column() != null && field(schema, f.column()) == null) {
        problems.add(at.at(key), "unknown column " + quote(f.column()) + columnsHint(schema, f.column()));
        return null;
      }
      DataType t = expression(at, key, schema, input, false);
      if (t == null) {
        return null;
      }
      ValueType type = ValueType.of(t).orElse(null);
      if (type == null || (fn.numericInput() && !type.numeric())) {
        problems.add(at.at(key), fn.sqlName() + " needs " + (fn.numericInput() ? "a numeric input"
            : "an input of type " + ValueType.names()) + ", got " + t.simpleString());
        return null;
      }
      return type;
    }

    /** An aggregate's windows: the view's, or those it lists; null, with the problem added, for one the view lacks. */
    private List<Duration> featureWindows(Located<ViewDef> at, String p, FeatureDef f, List<Duration> viewWindows) {
      if (f.windows() == null) {
        return new ArrayList<>(viewWindows);
      }
      List<Duration> windows = new ArrayList<>();
      for (int i = 0; i < f.windows().size(); i++) {
        Duration w = Durations.parse(f.windows().get(i)).orElse(null);
        if (w == null || !viewWindows.contains(w)) {
          problems.add(at.at(p + ".windows[" + i + "]"), "must be one of the view's windows "
              + viewWindows.stream().map(Durations::format).toList() + ", got " + quote(f.windows().get(i)));
          return null;
        }
        windows.add(w);
      }
      return windows;
    }

    /** An aggregate's declared type; null, with the problem added, when it is missing or not what {@code fn} yields. */
    private ValueType declaredType(Located<ViewDef> at, String p, FeatureDef f, AggregateFunction fn,
        ValueType inputType) {
      ValueType declared = ValueType.parse(f.type()).orElse(null);
      ValueType expected = fn.outputType(inputType);
      if (declared == null) {
        problems.add(at.at(p + ".type"), (f.type() == null ? "is required" : "unknown type " + quote(f.type()))
            + " (" + fn.sqlName() + " yields " + expected.sqlName() + ")");
        return null;
      }
      if (declared != expected) {
        problems.add(at.at(p + ".type"), "declared " + declared.sqlName() + " but " + fn.sqlName() + " yields "
            + expected.sqlName());
        return null;
      }
      return declared;
    }

    private boolean sqlView(Located<ViewDef> at, ViewDef d, FeatureView.Builder b, List<JoinKey> keys) {
      if (d.source() != null || d.aggregation() != null) {
        problems.add(at.at(""), "a SQL view takes sources, sql, event-time and created-time; not source or aggregation");
        return false;
      }
      List<Source> used = usedSources(at, d);
      if (used == null) {
        return false;
      }
      if (d.eventTime() == null) {
        problems.add(at.at("event-time"), "is required: the query's column with each row's feature time");
        return false;
      }
      StructType out;
      try {
        out = schemas.query(used, d.sql());
      } catch (SchemaResolver.SchemaException e) {
        problems.add(at.at("sql"), "does not compile: " + firstLine(e.getMessage()));
        return false;
      }
      boolean ok = keysIn(at, "sql", out, keys, "the query's output");
      ok &= column(at, "event-time", out, d.eventTime(), Set.of(DataTypes.TimestampType), "timestamp");
      if (d.createdTime() != null) {
        ok &= column(at, "created-time", out, d.createdTime(), Set.of(DataTypes.TimestampType), "timestamp");
      }
      if (d.features() == null || d.features().isEmpty()) {
        problems.add(at.at("features"), "is required: the query's feature columns, with their types");
        return false;
      }
      Set<String> names = new HashSet<>();
      keys.forEach(k -> names.add(k.name()));
      Checked<List<Feature>> features = queryFeatures(at, d.features(), out, names);
      if (ok && features.ok()) {
        features.value().forEach(b::feature);
        b.sql(used, d.sql(), d.eventTime(), d.createdTime());
        return true;
      }
      return false;
    }

    /** The sources a SQL view reads; null, with the problem added, when they are missing or one is unknown. */
    private List<Source> usedSources(Located<ViewDef> at, ViewDef d) {
      if (d.sources() == null || d.sources().isEmpty()) {
        problems.add(at.at("sources"), "is required: the sources the query reads, by name");
        return null;
      }
      List<Source> used = new ArrayList<>();
      for (int i = 0; i < d.sources().size(); i++) {
        Source s = sources.get(d.sources().get(i));
        if (s == null) {
          problems.add(at.at("sources[" + i + "]"), "unknown source " + quote(d.sources().get(i))
              + DidYouMean.hint(String.valueOf(d.sources().get(i)), sources.keySet()));
          return null;
        }
        used.add(s);
      }
      return used;
    }

    /**
     * A SQL view's features, each a column of the query's output {@code out} of its declared type,
     * each name added to {@code names}; not ok when one is not.
     */
    private Checked<List<Feature>> queryFeatures(Located<ViewDef> at, List<FeatureDef> defs, StructType out,
        Set<String> names) {
      List<Feature> features = new ArrayList<>();
      boolean ok = true;
      for (int i = 0; i < defs.size(); i++) {
        FeatureDef f = defs.get(i);
        String p = "features[" + i + "]";
        if (f.function() != null || f.column() != null || f.expression() != null || f.windows() != null
            || f.filter() != null || f.derived() != null) {
          problems.add(at.at(p), "a SQL view's feature takes name, type, description and constraints only");
          ok = false;
          continue;
        }
        Feature feature = plainFeature(at, p, f);
        if (feature == null || !newName(at, p, feature.name(), names)) {
          ok = false;
          continue;
        }
        StructField col = field(out, feature.name());
        if (col == null) {
          problems.add(at.at(p + ".name"), "the query has no column " + feature.name() + columnsHint(out, feature.name()));
          ok = false;
        } else if (!col.dataType().equals(feature.type().sparkType())) {
          problems.add(at.at(p + ".type"), "declared " + feature.type().sqlName() + " but the query yields "
              + col.dataType().simpleString() + " (cast it in the SQL)");
          ok = false;
        } else {
          features.add(feature);
        }
      }
      return new Checked<>(features, ok);
    }

    private Feature plainFeature(Located<ViewDef> at, String p, FeatureDef f) {
      if (f.name() == null || !f.name().matches(IDENT)) {
        problems.add(at.at(p + ".name"), "must be a lower-case name, got " + quote(f.name()));
        return null;
      }
      ValueType t = ValueType.parse(f.type()).orElse(null);
      if (t == null) {
        problems.add(at.at(p + ".type"), (f.type() == null ? "is required" : "unknown type " + quote(f.type()))
            + " (one of " + ValueType.names() + ")");
        return null;
      }
      Constraints c = constraints(at, p, f.constraints(), t);
      return c == null ? null : new Feature(f.name(), t, f.description(), c);
    }

    private Constraints constraints(Located<ViewDef> at, String p, ConstraintsDef c, ValueType type) {
      if (c == null) {
        return Constraints.none();
      }
      if ((c.min() != null || c.max() != null) && !type.numeric()) {
        problems.add(at.at(p + ".constraints"), "min and max apply to numeric features, this one is " + type.sqlName());
        return null;
      }
      if (c.min() != null && c.max() != null && c.min() > c.max()) {
        problems.add(at.at(p + ".constraints"), "min " + c.min() + " is greater than max " + c.max());
        return null;
      }
      return new Constraints(c.nullable() == null || c.nullable(), c.min(), c.max(), c.allowed());
    }

    private boolean keysIn(Located<?> at, String key, StructType schema, List<JoinKey> keys, String where) {
      boolean ok = true;
      for (JoinKey k : keys) {
        StructField f = field(schema, k.name());
        if (f == null) {
          problems.add(at.at(key), where + " has no join key column " + k.name() + columnsHint(schema, k.name()));
          ok = false;
        } else if (!f.dataType().equals(k.type().sparkType())) {
          problems.add(at.at(key), "join key " + k.name() + " is " + f.dataType().simpleString() + " in " + where
              + ", but the entity declares " + k.type().sqlName());
          ok = false;
        }
      }
      return ok;
    }

    private DataType expression(Located<?> at, String key, StructType schema, String expr, boolean predicate) {
      try {
        DataType t = schemas.expressions(schema, List.of(expr)).fields()[0].dataType();
        if (predicate && !t.equals(DataTypes.BooleanType)) {
          problems.add(at.at(key), "must be a predicate (boolean), got " + t.simpleString() + ": " + expr);
          return null;
        }
        return t;
      } catch (SchemaResolver.SchemaException e) {
        problems.add(at.at(key), "does not compile: " + firstLine(e.getMessage()));
        return null;
      }
    }

    // ---- services ----------------------------------------------------------------------------

    private void service(Located<ServiceDef> at, Map<String, String> seen) {
      ServiceDef d = at.def();
      if (!name(at, d.name(), "feature service", seen)) {
        return;
      }
      int version = d.version() == null ? 1 : d.version();
      if (version < 1) {
        problems.add(at.at("version"), "must be a positive integer");
        return;
      }
      if (!unique(at, d.name() + "@" + version, "feature service " + d.name() + " v" + version, seen)) {
        return;
      }
      if (d.features() == null || d.features().isEmpty()) {
        problems.add(at.at("features"), "is required: a list of {view, version, features}");
        return;
      }
      boolean full = d.fullFeatureNames() != null && d.fullFeatureNames();
      List<FeatureRef> refs = new ArrayList<>();
      Map<String, String> outputs = new LinkedHashMap<>();
      boolean ok = true;
      for (int i = 0; i < d.features().size(); i++) {
        ok &= serviceView(at, "features[" + i + "]", d.features().get(i), full, outputs, refs);
      }
      if (ok) {
        services.add(new FeatureService(d.name(), version, d.description(), d.owner(), refs));
      }
    }

    /**
     * Adds the features a service takes from one view version to {@code refs}, their output
     * columns to {@code outputs}; false, with the problems added, when the view or a feature is
     * unknown or an output column is taken.
     */
    private boolean serviceView(Located<ServiceDef> at, String p, ServiceViewDef sv, boolean full,
        Map<String, String> outputs, List<FeatureRef> refs) {
      if (sv.view() == null || sv.version() == null) {
        problems.add(at.at(p), "needs view and version (services pin view versions)");
        return false;
      }
      FeatureView view = views.get(sv.view() + "@" + sv.version());
      if (view == null) {
        List<String> known = views.values().stream().map(FeatureView::id).toList();
        problems.add(at.at(p + ".view"), "unknown feature view " + sv.view() + " v" + sv.version() + " (views: "
            + String.join(", ", known) + ")");
        return false;
      }
      List<String> wanted = sv.features() == null || sv.features().equals(List.of("*"))
          ? view.features().stream().map(Feature::name).toList() : sv.features();
      boolean ok = true;
      for (int j = 0; j < wanted.size(); j++) {
        String fname = wanted.get(j);
        if (view.feature(fname).isEmpty()) {
          List<String> known = view.features().stream().map(Feature::name).toList();
          problems.add(at.at(p + ".features[" + j + "]"), "unknown feature " + quote(fname) + " in view " + view.id()
              + DidYouMean.hint(String.valueOf(fname), known) + " (features: " + String.join(", ", known) + ")");
          ok = false;
          continue;
        }
        String out = full ? view.name() + "__" + fname : fname;
        String clash = outputs.putIfAbsent(out, view.id());
        if (clash != null) {
          problems.add(at.at(p + ".features[" + j + "]"), "output column " + out + " comes from both " + clash + " and "
              + view.id() + "; set full-feature-names: true to name columns <view>__<feature>");
          ok = false;
          continue;
        }
        refs.add(new FeatureRef(view.name(), view.version(), fname, out));
      }
      return ok;
    }
  }

  private static StructField field(StructType schema, String name) {
    for (StructField f : schema.fields()) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    return null;
  }

  private static String columnsHint(StructType schema, String given) {
    List<String> names = List.of(schema.fieldNames());
    return DidYouMean.hint(String.valueOf(given), names) + " (columns: " + String.join(", ", names) + ")";
  }

  private static String quote(Object o) {
    return o == null ? "nothing" : "\"" + o + "\"";
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
