package dev.mlops.monitoring;

import java.util.List;

/**
 * What current data is compared with: whole tables at pinned versions (a model's training set, by
 * default), or a range of partitions of the current table itself.
 *
 * <p>Immutable.
 */
public sealed interface Reference {
  /** How results name the reference: {@code ml.training_fraud@12}, {@code score_date 2026-11-01..2026-11-07}. */
  String describe();

  /**
   * Whole tables: each column is read from the side that has it.
   *
   * @param sides the tables (a model's training set, and its test predictions for the score)
   */
  record Whole(List<DriftSide> sides) implements Reference {
    public Whole {
      sides = List.copyOf(sides);
    }

    @Override
    public String describe() {
      return String.join(" + ", sides.stream().map(s -> s.key().table() + "@" + s.key().version()).toList());
    }
  }

  /**
   * Partitions of the current table: their rows, or their profiles merged.
   *
   * @param partitions the partition values
   */
  record Partitions(List<String> partitions) implements Reference {
    public Partitions {
      partitions = List.copyOf(partitions);
    }

    @Override
    public String describe() {
      return partitions.isEmpty() ? "no partitions" : partitions.get(0) + ".." + partitions.get(partitions.size() - 1);
    }
  }
}
