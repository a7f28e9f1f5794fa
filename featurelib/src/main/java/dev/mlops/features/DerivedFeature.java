package dev.mlops.features;

/**
 * A feature of an aggregation view computed from the view's other features at the same time, by
 * a Spark SQL expression ({@code fraud_reports_30d / nullif(txn_count_30d, 0)}).
 *
 * @param feature the feature it yields
 * @param expression the expression over the view's other feature columns
 */
public record DerivedFeature(Feature feature, String expression) {}
