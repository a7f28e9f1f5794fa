package dev.mlops.features;

import java.time.Duration;
import java.util.List;

/** How a feature view computes its rows. */
public sealed interface ViewQuery {

  /**
   * A Spark SQL query over the view's sources (each visible under its name) that yields the join
   * keys, the event time and the features.
   *
   * @param sources the sources the query reads
   * @param sql the query
   * @param eventTime the output column holding each row's feature time
   * @param createdTime the output column holding each row's created time, or null (then the
   *     materialization time)
   */
  record Sql(List<Source> sources, String sql, String eventTime, String createdTime) implements ViewQuery {
    public Sql {
      sources = List.copyOf(sources);
    }
  }

  /**
   * Declarative aggregations of one source over trailing windows, evaluated at every multiple of
   * {@code granularity} (UTC). The window ending at boundary {@code T} covers the events of
   * {@code [T - window, T)}.
   *
   * @param source the source
   * @param granularity the step between boundaries
   * @param windows every window of the view
   * @param filter a Spark SQL predicate on the source rows, or null
   * @param aggregates the aggregations
   * @param derived features computed from the aggregated ones
   */
  record Aggregation(
      Source source, Duration granularity, List<Duration> windows, String filter, List<WindowedAggregate> aggregates,
      List<DerivedFeature> derived) implements ViewQuery {
    public Aggregation {
      windows = List.copyOf(windows);
      aggregates = List.copyOf(aggregates);
      derived = List.copyOf(derived);
    }

    /** The longest window. */
    public Duration longestWindow() {
      return windows.stream().max(Duration::compareTo).orElseThrow();
    }
  }
}
