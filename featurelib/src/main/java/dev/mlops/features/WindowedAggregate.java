package dev.mlops.features;

import dev.mlops.core.config.Durations;
import java.time.Duration;
import java.util.List;

/**
 * One aggregation of an aggregation view, computed over some of the view's windows: it yields
 * one feature per window, named {@code <name>_<window>} ({@code amount_sum_7d}).
 *
 * @param name the base name
 * @param function the aggregation
 * @param input a column or Spark SQL expression over the source's columns; null for count(*)
 * @param filter a Spark SQL predicate: only rows where it holds are aggregated; null for all
 * @param windows the windows, each a multiple of the view's granularity
 * @param type the type of each resulting feature
 * @param description what it means
 * @param constraints what each resulting feature's values must satisfy
 */
public record WindowedAggregate(
    String name, AggregateFunction function, String input, String filter, List<Duration> windows, ValueType type,
    String description, Constraints constraints) {
  public WindowedAggregate {
    windows = List.copyOf(windows);
    description = description == null ? "" : description;
    constraints = constraints == null ? Constraints.none() : constraints;
  }

  /** The name of the feature for {@code window}. */
  public String featureName(Duration window) {
    return name + "_" + Durations.format(window);
  }
}
