package dev.mlops.features;

import java.util.List;

/**
 * What features describe: a customer, a merchant, a (customer, merchant) pair. Rows of a feature
 * view are keyed by the join keys of its entities.
 *
 * @param name the entity's name
 * @param joinKeys its key columns, one or several
 * @param description what it is
 */
public record Entity(String name, List<JoinKey> joinKeys, String description) {
  public Entity {
    joinKeys = List.copyOf(joinKeys);
    description = description == null ? "" : description;
  }
}
