package dev.mlops.monitoring;

import dev.mlops.core.PlatformException;
import dev.mlops.core.config.ConfigException;
import dev.mlops.training.spec.ModelSpecLoader.LoadedSpec;
import java.time.LocalDate;
import java.util.List;

/**
 * The user-facing errors of monitoring: each message names what could not be done and where, why,
 * and how to fix it. Get them from the static methods; the class holds no state.
 */
public final class MonitoringErrors {
  private MonitoringErrors() {}

  /**
   * A drift metric asked of a column of the other kind: KS of a categorical column, chi-squared of
   * a numeric one.
   *
   * @param metric the metric's title, as {@code "KS"}
   * @param kind the column's kind, {@code "numeric"} or {@code "categorical"}
   * @param fix the metrics that do apply, as {@code "use chi-squared, Jensen-Shannon or PSI"}
   */
  public static PlatformException wrongColumnKind(String column, String metric, String kind, String fix) {
    return new PlatformException("Cannot compute " + metric + " on column '" + column + "': it is " + kind + "; "
        + fix);
  }

  /** The reference and the current side of a column are of different kinds. */
  public static PlatformException mixedColumnKinds(String column, String metric, String referenceKind,
      String currentKind) {
    return new PlatformException("Cannot compute " + metric + " on column '" + column + "': the reference is "
        + referenceKind + " but the current data is " + currentKind
        + "; the column changed type between the two, cast both to one type first");
  }

  /** A drift threshold out of its range. */
  public static PlatformException invalidThreshold(String name, double value, String rule) {
    return new PlatformException("Cannot use drift threshold " + name + " = " + value + ": " + rule);
  }

  /** A warn level above its alert level. */
  public static PlatformException thresholdOrder(String metric, double warn, double alert) {
    return new PlatformException("Cannot use drift thresholds for " + metric + ": warn " + warn
        + " is above alert " + alert + "; set warn at most alert (for example warn 0.1, alert 0.2)");
  }

  /** A PSI with fewer than two bins. */
  public static PlatformException invalidBins(int bins) {
    return new PlatformException("Cannot compute PSI with " + bins
        + " bins: it compares shares of at least two bins; use 10 (the default) or another count from 2");
  }
  /** A partition asked for has no rows. */
  public static PlatformException partitionEmpty(String table, String column, String value) {
    return new PlatformException("Cannot measure drift of " + table + " for " + column + "=" + value
        + ": the partition has no rows; check the date (mlops sql \"SELECT DISTINCT " + column + " FROM " + table
        + "\") or score that day first");
  }

  /** Another version than the one measured served a day of the range. */
  public static PlatformException servedByOtherVersions(String model, int version, String column, String day,
      List<Integer> servedBy) {
    String versions = servedBy.stream().map(n -> "v" + n).collect(java.util.stream.Collectors.joining(", "));
    return new PlatformException("Cannot measure drift of model " + model + " v" + version + " for " + column + "=" + day
        + ": " + versions + " served that day, and each day is compared with the reference of the version that served"
        + " it; measure it with --version " + servedBy.get(0) + ", or leave the day out of the range");
  }

  /** The reference has no rows. */
  public static PlatformException referenceEmpty(String reference) {
    return new PlatformException("Cannot measure drift against " + reference
        + ": the reference has no rows; name another reference (--reference TABLE, or --reference-start/--reference-end)");
  }

  /** A table's drift asked for without a reference. */
  public static PlatformException referenceMissing(String table) {
    return new PlatformException("Cannot measure drift of " + table + ": it has no default reference; give one with"
        + " --reference TABLE[@VERSION] or --reference-start D1 --reference-end D2");
  }

  /** A column compared is in no side of the reference. */
  public static PlatformException referenceColumnMissing(String column, String reference, List<String> columns) {
    return new PlatformException("Cannot measure drift of column " + column + ": the reference " + reference
        + " has no such column (its columns: " + String.join(", ", columns) + "); compare columns both sides have");
  }

  /** A column asked for is not in the current table. */
  public static PlatformException columnMissing(String column, String table, List<String> columns) {
    return new PlatformException("Cannot measure drift of column " + column + ": " + table + " has no such column (its"
        + " columns: " + String.join(", ", columns) + "); name one of those");
  }

  /** A column of a type that drift does not compare. */
  public static PlatformException unsupportedType(String column, String type) {
    return new PlatformException("Cannot measure drift of column " + column + ": its type " + type
        + " is neither numeric nor categorical (string or boolean); cast it, or leave it out of --columns");
  }

  /** A model with no version to take the features and reference from. */
  public static PlatformException noModelVersion(String model, String versions) {
    return new PlatformException("Cannot measure drift of model " + model + ": it has no version in Production"
        + versions + "; promote one, or use --table for a table's drift");
  }

  /** A table without the partition column. */
  public static PlatformException partitionColumnMissing(String table, String column, List<String> columns) {
    return new PlatformException("Cannot measure drift of " + table + ": it has no partition column " + column
        + " (its columns: " + String.join(", ", columns) + "); give --partition-column");
  }

  /** A date range that ends before it starts. */
  public static PlatformException badRange(String what, Object start, Object end) {
    return new PlatformException("Cannot measure drift: " + what + " ends (" + end + ") before it starts (" + start
        + "); give the first day first");
  }

  /**
   * A model whose spec says nothing of its labels: names the spec file and the key, with an example
   * using the spec's own row keys.
   */
  public static ConfigException labelsMissing(LoadedSpec spec) {
    String keys = String.join(", ", spec.spec().spine().keys());
    return spec.error("monitoring.labels", "is missing, so the performance of " + spec.spec().name()
        + " cannot be monitored: say where its labels come from and when each arrived, for example monitoring: {labels:"
        + " {query: \"SELECT " + keys + ", reported_ts AS arrived_at, 1 AS label FROM raw.fraud_labels\", keys: [" + keys
        + "], label: label, arrived-at: arrived_at, unlabelled: negative}, label-delay: 20d} (see docs/TRAINING.md)");
  }

  /** A model with no Production version, whose served rows performance monitoring reads. */
  public static PlatformException noProductionVersion(String model, String versions) {
    return new PlatformException("Cannot monitor the performance of model " + model + ": it has no version in Production"
        + versions + "; promote one and score with it first");
  }

  /** A range of days that ends before it starts. */
  public static PlatformException performanceRange(LocalDate first, LocalDate last) {
    return new PlatformException("Cannot monitor performance: the range ends (" + last + ") before it starts (" + first
        + "); give the first day first");
  }

  /** Days of the range without Production rows in the predictions table. */
  public static PlatformException noPredictions(String model, String table, List<String> days) {
    return new PlatformException("Cannot monitor the performance of model " + model + " on " + String.join(", ", days)
        + ": " + table + " has no production rows " + (days.size() == 1 ? "that day" : "those days") + "; score "
        + (days.size() == 1 ? "it" : "them") + " first (mlops score --model " + model + " --date " + days.get(0) + ")");
  }

  /** The labels cannot be read: the query fails or the table is missing. */
  public static ConfigException labelsUnreadable(LoadedSpec spec, String key, String cause) {
    return spec.error("monitoring.labels." + key, "cannot be read: " + cause);
  }

  /** A column the labels section names is not in the labels. */
  public static ConfigException labelColumnMissing(LoadedSpec spec, String key, String column, List<String> columns) {
    return spec.error("monitoring.labels." + key, "column " + column + " is not in the labels (their columns: "
        + String.join(", ", columns) + ")");
  }

  /** A column of the labels of a type that cannot be used for its role. */
  public static ConfigException labelColumnMistyped(LoadedSpec spec, String key, String column, String type,
      String expected) {
    return spec.error("monitoring.labels." + key, "column " + column + " is " + type + "; it must be " + expected);
  }

  /** A key of the labels is not a column of the predictions. */
  public static ConfigException labelKeyNotPredicted(LoadedSpec spec, String column, String table, List<String> columns) {
    return spec.error("monitoring.labels.keys", "column " + column + " is not in " + table + " (its columns: "
        + String.join(", ", columns) + "); name the columns that identify a scored row");
  }

  /** Labels that are neither 0 nor 1. */
  public static ConfigException badLabels(LoadedSpec spec, String column, long rows) {
    return spec.error("monitoring.labels.label", rows + " labels in column " + column
        + " are neither 0 nor 1 (nor a boolean); map them to 0/1 in the labels query");
  }

  /** A slice column in neither the predictions' features nor their columns. */
  public static ConfigException sliceNotPredicted(LoadedSpec spec, String column, String table, List<String> features,
      List<String> columns) {
    return spec.error("slices", "column " + column + " is neither a feature of " + table + " (features: "
        + String.join(", ", features) + ") nor one of its columns (" + String.join(", ", columns)
        + "); slice by one of those");
  }

  /** A slice column with too many values in one day to report each. */
  public static ConfigException tooManySliceValues(LoadedSpec spec, String column, String day, long values, int max) {
    return spec.error("slices", "column " + column + " has " + values + " values on " + day + ", more than the " + max
        + " performance monitoring reports one by one; slice by a coarser column");
  }

  /** The judged metric is not among a version's recorded test metrics. */
  public static PlatformException metricNotRecorded(String versionId, String metric, List<String> recorded) {
    return new PlatformException("Cannot judge the " + metric + " of " + versionId + ": its test metrics have no " + metric
        + " (they are " + String.join(", ", recorded) + "); set monitoring.metric in the spec to one of those");
  }
}
