package dev.mlops.features;

import dev.mlops.core.config.Durations;
import dev.mlops.core.tables.TableName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A versioned set of features of some entities, computed from sources by a {@link ViewQuery},
 * and materialized into its own Delta table {@code features.<name>_v<version>}. Rows are valid
 * for {@link #ttl()} after their feature time.
 *
 * <p>Immutable and thread-safe. Build one with {@link #builder(String, int)}, or load it from a
 * feature repository.
 */
public final class FeatureView {
  private final String name;
  private final int version;
  private final String description;
  private final String owner;
  private final Map<String, String> tags;
  private final List<Entity> entities;
  private final Duration ttl;
  private final ViewQuery query;
  private final List<Feature> sqlFeatures;

  private FeatureView(Builder b) {
    this.name = Objects.requireNonNull(b.name, "name == null");
    this.version = b.version;
    this.description = b.description == null ? "" : b.description;
    this.owner = b.owner == null ? "" : b.owner;
    this.tags = Map.copyOf(b.tags);
    this.entities = List.copyOf(b.entities);
    this.ttl = Objects.requireNonNull(b.ttl, "ttl == null");
    this.query = Objects.requireNonNull(b.query, "query == null");
    this.sqlFeatures = List.copyOf(b.features);
    if (version < 1) {
      throw new IllegalArgumentException("Cannot build feature view " + name + ": version must be at least 1");
    }
    if (entities.isEmpty()) {
      throw new IllegalArgumentException("Cannot build feature view " + name + ": it needs at least one entity");
    }
  }

  /** A builder for view {@code name} at {@code version}. */
  public static Builder builder(String name, int version) {
    return new Builder(name, version);
  }

  public String name() {
    return name;
  }

  public int version() {
    return version;
  }

  public String description() {
    return description;
  }

  public String owner() {
    return owner;
  }

  public Map<String, String> tags() {
    return tags;
  }

  public List<Entity> entities() {
    return entities;
  }

  public Duration ttl() {
    return ttl;
  }

  public ViewQuery query() {
    return query;
  }

  /** {@code name:v<version>}, for messages. */
  public String id() {
    return name + " v" + version;
  }

  /** The Delta table this version is materialized into. */
  public TableName table() {
    return new TableName("features", name + "_v" + version);
  }

  /** The join key columns, in entity order. */
  public List<JoinKey> joinKeys() {
    List<JoinKey> keys = new ArrayList<>();
    for (Entity e : entities) {
      keys.addAll(e.joinKeys());
    }
    return keys;
  }

  /** Every feature column of the view's table, in order. */
  public List<Feature> features() {
    if (query instanceof ViewQuery.Aggregation agg) {
      List<Feature> out = new ArrayList<>();
      for (WindowedAggregate a : agg.aggregates()) {
        for (Duration w : a.windows()) {
          out.add(new Feature(a.featureName(w), a.type(), a.description() + " (window " + Durations.format(w) + ")",
              a.constraints()));
        }
      }
      for (DerivedFeature d : agg.derived()) {
        out.add(d.feature());
      }
      return out;
    }
    return sqlFeatures;
  }

  /** The feature called {@code featureName}, if the view has it. */
  public Optional<Feature> feature(String featureName) {
    return features().stream().filter(f -> f.name().equals(featureName)).findFirst();
  }

  /** A builder holding this view's values. */
  public Builder newBuilder() {
    Builder b = new Builder(name, version).description(description).owner(owner).ttl(ttl).query(query);
    b.tags.putAll(tags);
    b.entities.addAll(entities);
    b.features.addAll(sqlFeatures);
    return b;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FeatureView v && v.name.equals(name) && v.version == version && v.description.equals(description)
        && v.owner.equals(owner) && v.tags.equals(tags) && v.entities.equals(entities) && v.ttl.equals(ttl)
        && v.query.equals(query) && v.sqlFeatures.equals(sqlFeatures);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, version, query);
  }

  @Override
  public String toString() {
    return "FeatureView[" + id() + "]";
  }

  /** Builds a {@link FeatureView}. Not thread-safe. */
  public static final class Builder {
    private final String name;
    private final int version;
    private String description;
    private String owner;
    private final Map<String, String> tags = new LinkedHashMap<>();
    private final List<Entity> entities = new ArrayList<>();
    private Duration ttl;
    private ViewQuery query;
    private final List<Feature> features = new ArrayList<>();

    private Builder(String name, int version) {
      this.name = name;
      this.version = version;
    }

    public Builder description(String d) {
      description = d;
      return this;
    }

    public Builder owner(String o) {
      owner = o;
      return this;
    }

    public Builder tag(String key, String value) {
      tags.put(key, value);
      return this;
    }

    public Builder entity(Entity e) {
      entities.add(e);
      return this;
    }

    public Builder ttl(Duration t) {
      ttl = t;
      return this;
    }

    /** A Spark SQL view over {@code sources}; declare its features with {@link #feature}. */
    public Builder sql(List<Source> sources, String sql, String eventTime, String createdTime) {
      query = new ViewQuery.Sql(sources, sql, eventTime, createdTime);
      return this;
    }

    /** Declares a feature of a SQL view. */
    public Builder feature(Feature f) {
      features.add(f);
      return this;
    }

    /** An aggregation view. */
    public Builder aggregation(ViewQuery.Aggregation a) {
      query = a;
      return this;
    }

    public Builder query(ViewQuery q) {
      query = q;
      return this;
    }

    public FeatureView build() {
      return new FeatureView(this);
    }
  }
}
