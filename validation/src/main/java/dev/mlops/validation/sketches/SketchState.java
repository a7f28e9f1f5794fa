package dev.mlops.validation.sketches;

import java.io.Serializable;

/**
 * A mergeable summary of a column kept as a DataSketches sketch: the state of an approximate
 * analyzer. States merge with states of the same kind (associative, commutative) and serialize
 * themselves, so profiles stored by one run can be merged by another (monitoring reads them to
 * compute drift without rescanning). Not thread-safe.
 *
 * @param <S> the state's own type
 */
public interface SketchState<S extends SketchState<S>> extends Serializable {
  /** The kind stored beside the bytes in {@code validation.profiles}: {@code kll}, {@code hll}, {@code frequent_items}. */
  String kind();

  /** Adds one value; nulls are ignored. */
  void update(Object value);

  /** This state merged with {@code other}; this one may be reused. */
  S merge(S other);

  /** The sketch's serialized form (DataSketches' own format). */
  byte[] toBytes();

  /**
   * How many non-null values the state has seen, when its sketch counts them; empty for a
   * distinct-count sketch, which keeps hashes, not a count.
   */
  java.util.OptionalLong count();

  /** A stored state of kind {@code kind} ({@code kll}, {@code hll}, {@code frequent_items}) from its bytes. */
  static SketchState<?> fromBytes(String kind, byte[] bytes) {
    return switch (kind) {
      case "kll" -> KllState.fromBytes(bytes);
      case "hll" -> HllState.fromBytes(bytes);
      case "frequent_items" -> FrequentItemsState.fromBytes(bytes);
      default -> throw new IllegalArgumentException("no sketch kind " + kind);
    };
  }
}
