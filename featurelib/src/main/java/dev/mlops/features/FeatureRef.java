package dev.mlops.features;

/**
 * One feature of a service: a feature of a view at a pinned version, and the column name it has
 * in training sets.
 *
 * @param view the view's name
 * @param viewVersion the view's version
 * @param feature the feature's name in the view
 * @param outputName the column name in training sets and vectors
 */
public record FeatureRef(String view, int viewVersion, String feature, String outputName) {}
