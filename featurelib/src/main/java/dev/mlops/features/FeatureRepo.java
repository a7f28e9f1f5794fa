package dev.mlops.features;

import java.util.List;
import java.util.Optional;

/**
 * Every definition of a feature repository: entities, sources, feature views and services.
 * Immutable and thread-safe; load one with {@link dev.mlops.features.repo.FeatureRepoLoader}.
 */
public record FeatureRepo(List<Entity> entities, List<Source> sources, List<FeatureView> views, List<FeatureService> services) {
  public FeatureRepo {
    entities = List.copyOf(entities);
    sources = List.copyOf(sources);
    views = List.copyOf(views);
    services = List.copyOf(services);
  }

  /** The view {@code name} at {@code version}. */
  public Optional<FeatureView> view(String name, int version) {
    return views.stream().filter(v -> v.name().equals(name) && v.version() == version).findFirst();
  }

  /** The highest version of view {@code name}. */
  public Optional<FeatureView> latestView(String name) {
    return views.stream().filter(v -> v.name().equals(name)).max(java.util.Comparator.comparingInt(FeatureView::version));
  }

  /** The view named {@code name}, at {@code version} or else its highest version; fails naming the view. */
  public FeatureView requireView(String name, Integer version) {
    Optional<FeatureView> v = version == null ? latestView(name) : view(name, version);
    return v.orElseThrow(() -> FeatureErrors.viewNotDefined(name, version, views.stream().map(FeatureView::id).toList()));
  }

  /** The highest version of service {@code name}, or {@code version}; fails naming it. */
  public FeatureService requireService(String name, Integer version) {
    return services.stream().filter(s -> s.name().equals(name) && (version == null || s.version() == version))
        .max(java.util.Comparator.comparingInt(FeatureService::version))
        .orElseThrow(() -> FeatureErrors.serviceNotDefined(name, version, services.stream().map(FeatureService::id).toList()));
  }
}
