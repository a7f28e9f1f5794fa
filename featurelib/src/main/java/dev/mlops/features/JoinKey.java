package dev.mlops.features;

/**
 * One column of an entity's key.
 *
 * @param name the column name
 * @param type its type
 */
public record JoinKey(String name, ValueType type) {}
