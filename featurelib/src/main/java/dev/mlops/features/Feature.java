package dev.mlops.features;

/**
 * One column of a feature table.
 *
 * @param name the column name
 * @param type its type
 * @param description what it means
 * @param constraints what its values must satisfy
 */
public record Feature(String name, ValueType type, String description, Constraints constraints) {
  public Feature {
    description = description == null ? "" : description;
    constraints = constraints == null ? Constraints.none() : constraints;
  }
}
