/**
 * Fairness audits of a model version on its test split: outcomes per group of each protected
 * attribute and the gaps between groups, gated by the spec's {@code fairness} limits and stored in
 * {@code ml.model_fairness}.
 */
package dev.mlops.training.fairness;
