package dev.mlops.features.repo;

import java.util.List;
import java.util.Map;

/** One YAML file of a feature repository, as written. Every section is optional. */
record RepoFileDef(
    List<EntityDef> entities, List<SourceDef> sources, List<ViewDef> featureViews, List<ServiceDef> featureServices) {
  RepoFileDef {
    entities = entities == null ? List.of() : entities;
    sources = sources == null ? List.of() : sources;
    featureViews = featureViews == null ? List.of() : featureViews;
    featureServices = featureServices == null ? List.of() : featureServices;
  }
}

record EntityDef(String name, String description, List<KeyDef> joinKeys) {}

record KeyDef(String name, String type) {}

record SourceDef(
    String name, String description, String table, String path, String format, String query, String eventTime,
    String createdTime, String partitionColumn) {}

record ViewDef(
    String name, Integer version, String description, String owner, Map<String, String> tags, List<String> entities,
    String ttl, String source, List<String> sources, String sql, String eventTime, String createdTime,
    AggregationDef aggregation, List<FeatureDef> features) {}

record AggregationDef(String granularity, List<String> windows, String filter) {}

record FeatureDef(
    String name, String type, String description, String function, String column, String expression, String filter,
    List<String> windows, String derived, ConstraintsDef constraints) {}

record ConstraintsDef(Boolean nullable, Double min, Double max, List<String> allowed) {}

record ServiceDef(
    String name, Integer version, String description, String owner, Boolean fullFeatureNames,
    List<ServiceViewDef> features) {}

record ServiceViewDef(String view, Integer version, List<String> features) {}
