package dev.mlops.features;

import java.util.List;

/**
 * What a feature's values must satisfy; materialization fails on a violation.
 *
 * @param nullable whether null is allowed (default true)
 * @param min the smallest allowed value (numbers), or null
 * @param max the largest allowed value (numbers), or null
 * @param allowed the allowed values (as text), or empty for any
 */
public record Constraints(boolean nullable, Double min, Double max, List<String> allowed) {
  public Constraints {
    allowed = allowed == null ? List.of() : List.copyOf(allowed);
  }

  /** No constraint. */
  public static Constraints none() {
    return new Constraints(true, null, null, List.of());
  }

  /** Whether anything is constrained. */
  public boolean any() {
    return !nullable || min != null || max != null || !allowed.isEmpty();
  }
}
