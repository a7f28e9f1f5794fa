package dev.mlops.core.config;

import static dev.mlops.core.config.ConfigValueException.require;

/**
 * The platform configuration of one environment, as written in {@code conf/<env>.yaml}. Keys are
 * kebab-case in the file ({@code app-name}); every section but {@code project} and
 * {@code warehouse} is optional and has documented defaults.
 *
 * <p>Immutable and thread-safe. Obtain one with {@link ConfigLoader#load}.
 *
 * @param project a short name for this deployment, used in the online store's key prefix
 * @param warehouse where every platform table lives
 * @param catalog how tables are registered by name
 * @param spark Spark settings
 * @param redis the online store; no {@code host} means a local server started on demand
 * @param airflow Airflow's REST API, for triggering DAG runs; may be unconfigured
 * @param features the feature store: where the feature repository is
 * @param online the online store's behaviour (the server is {@code redis})
 * @param validation data validation: where the suites are
 * @param training training and the model registry: where the model specs are, pin retention
 * @param monitoring drift monitoring: engine, bins, thresholds
 * @param pipelines the folder of pipeline definitions; relative paths resolve against the config file's folder
 *     (default {@code pipelines}, that is {@code conf/pipelines})
 */
public record PlatformConfig(
    String project,
    WarehouseConfig warehouse,
    CatalogConfig catalog,
    SparkConfig spark,
    RedisConfig redis,
    AirflowConfig airflow,
    FeaturesConfig features,
    OnlineConfig online,
    ValidationConfig validation,
    TrainingConfig training,
    MonitoringConfig monitoring,
    String pipelines) {

  public PlatformConfig {
    require("project", project);
    if (!project.matches("[a-z][a-z0-9_-]{0,39}")) {
      throw new ConfigValueException(
          "project", "must be lower-case letters, digits, '-' or '_' (at most 40), got \"" + project + "\"");
    }
    require("warehouse", warehouse);
    catalog = catalog == null ? CatalogConfig.defaults() : catalog;
    spark = spark == null ? SparkConfig.defaults() : spark;
    redis = redis == null ? RedisConfig.defaults() : redis;
    airflow = airflow == null ? AirflowConfig.unconfigured() : airflow;
    features = features == null ? FeaturesConfig.defaults() : features;
    online = online == null ? OnlineConfig.defaults() : online;
    validation = validation == null ? ValidationConfig.defaults() : validation;
    training = training == null ? TrainingConfig.defaults() : training;
    monitoring = monitoring == null ? MonitoringConfig.defaults() : monitoring;
    pipelines = pipelines == null || pipelines.isBlank() ? "pipelines" : pipelines.strip();
  }

  /** A copy with {@code warehouse} replaced. */
  public PlatformConfig withWarehouse(WarehouseConfig newWarehouse) {
    return new PlatformConfig(project, newWarehouse, catalog, spark, redis, airflow, features, online, validation, training, monitoring, pipelines);
  }

  /** A copy with {@code features} replaced. */
  public PlatformConfig withFeatures(FeaturesConfig newFeatures) {
    return new PlatformConfig(project, warehouse, catalog, spark, redis, airflow, newFeatures, online, validation, training, monitoring, pipelines);
  }

  /** A copy with {@code validation} replaced. */
  public PlatformConfig withValidation(ValidationConfig newValidation) {
    return new PlatformConfig(project, warehouse, catalog, spark, redis, airflow, features, online, newValidation, training, monitoring, pipelines);
  }

  /** A copy with {@code training} replaced. */
  public PlatformConfig withTraining(TrainingConfig newTraining) {
    return new PlatformConfig(project, warehouse, catalog, spark, redis, airflow, features, online, validation, newTraining, monitoring, pipelines);
  }

  /** A copy with {@code airflow} replaced. */
  public PlatformConfig withAirflow(AirflowConfig newAirflow) {
    return new PlatformConfig(project, warehouse, catalog, spark, redis, newAirflow, features, online, validation, training, monitoring, pipelines);
  }

  /** A copy with {@code redis} replaced. */
  public PlatformConfig withRedis(RedisConfig newRedis) {
    return new PlatformConfig(project, warehouse, catalog, spark, newRedis, airflow, features, online, validation, training, monitoring, pipelines);
  }

  /** A copy whose pipelines folder is {@code folder}. */
  public PlatformConfig withPipelines(String folder) {
    return new PlatformConfig(project, warehouse, catalog, spark, redis, airflow, features, online, validation, training, monitoring, folder);
  }
}
