/** Canary ramps: the share of a ramped A/B variant in force on each day ({@code ml.canary_shares}). */
package dev.mlops.training.canary;
