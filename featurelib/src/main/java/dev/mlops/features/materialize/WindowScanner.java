package dev.mlops.features.materialize;

import dev.mlops.features.AggregateFunction;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The second half of an aggregation view's one pass: given per-(key, bucket) partial aggregates
 * sorted by key then bucket, emits for each key a row at every boundary where a window's value
 * changes (an event enters or leaves a window), plus an expiry row (all features null) at the
 * first boundary where the view's TTL since the key's last event has run out. A read at time
 * {@code t} of the latest row at or before {@code t} therefore sees the view as of the latest
 * boundary {@code T <= t}: the windows {@code [T - w, T)}, or nothing when the key had no event
 * before {@code T} or its last one is at least a TTL older than {@code T}.
 *
 * <p>Input rows: the key columns, then {@code bucket} (start, epoch micros), the bucket's first
 * and last event time (micros), then each aggregate's partial columns. Output rows: the key
 * columns, the feature time (micros), whether the row is an expiry row, then one value per
 * (aggregate, window). Windows slide incrementally: sums and counts add and subtract, minimum and
 * maximum use monotonic deques, distinct counts a counting map.
 */
final class WindowScanner implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  /** One aggregate: its function, its windows and where its partials are in the input row. */
  record Spec(AggregateFunction function, long[] windows, int[] partials) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  private final int keyCount;
  private final long granularity;
  private final long ttl;
  private final long rangeStart;
  private final long rangeEnd;
  private final long[] viewWindows;
  private final Spec[] specs;

  WindowScanner(int keyCount, long granularity, long ttl, long rangeStart, long rangeEnd, long[] viewWindows, Spec[] specs) {
    this.keyCount = keyCount;
    this.granularity = granularity;
    this.ttl = ttl;
    this.rangeStart = rangeStart;
    this.rangeEnd = rangeEnd;
    this.viewWindows = viewWindows.clone();
    this.specs = specs.clone();
  }

  @Override
  public Iterator<Row> call(Iterator<Row> input) {
    return new Iterator<>() {
      private Row pending = input.hasNext() ? input.next() : null;
      private Iterator<Row> current = List.<Row>of().iterator();

      @Override
      public boolean hasNext() {
        while (!current.hasNext() && pending != null) {
          List<Row> group = new ArrayList<>();
          Object[] key = key(pending);
          group.add(pending);
          pending = null;
          while (input.hasNext()) {
            Row r = input.next();
            if (Arrays.equals(key(r), key)) {
              group.add(r);
            } else {
              pending = r;
              break;
            }
          }
          current = scan(key, group).iterator();
        }
        return current.hasNext();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return current.next();
      }
    };
  }

  private Object[] key(Row r) {
    Object[] k = new Object[keyCount];
    for (int i = 0; i < keyCount; i++) {
      k[i] = r.get(i);
    }
    return k;
  }

  /** All output rows of one key, whose buckets are {@code rows} in time order. */
  List<Row> scan(Object[] key, List<Row> rows) {
    int n = rows.size();
    long[] bucket = new long[n];
    long[] lastEvent = new long[n];
    for (int i = 0; i < n; i++) {
      Row r = rows.get(i);
      bucket[i] = r.getLong(keyCount);
      lastEvent[i] = r.getLong(keyCount + 2);
    }
    long[] times = boundaries(bucket, lastEvent);
    Windows windows = new Windows(rows, bucket);
    List<Row> out = new ArrayList<>();
    boolean wasAlive = false;
    for (int i = 0; i < times.length; i++) {
      long t = times[i];
      if (i > 0 && t == times[i - 1]) {
        continue;
      }
      if (t >= rangeEnd) {
        break;
      }
      int ended = windows.slideTo(t);
      boolean alive = ended > 0 && t < lastEvent[ended - 1] + ttl;
      boolean expiry = !alive && wasAlive;
      wasAlive = alive;
      if (t < rangeStart || (!alive && !expiry)) {
        continue;
      }
      out.add(windows.row(key, t, expiry));
    }
    return out;
  }

  /**
   * The candidate boundaries of one key, sorted, with repeats: where an event enters or leaves a
   * window, and where the TTL since a bucket's last event runs out (the first boundary at or after
   * last event + ttl).
   */
  private long[] boundaries(long[] bucket, long[] lastEvent) {
    long[] times = new long[bucket.length * (2 + viewWindows.length)];
    int m = 0;
    for (int i = 0; i < bucket.length; i++) {
      times[m++] = bucket[i] + granularity;
      for (long w : viewWindows) {
        times[m++] = bucket[i] + granularity + w;
      }
      times[m++] = ceilToBoundary(lastEvent[i] + ttl);
    }
    Arrays.sort(times);
    return times;
  }

  /** The running state of every aggregate's every window over one key's buckets, slid forward boundary by boundary. */
  private final class Windows {
    private final List<Row> rows;
    private final long[] bucket;
    private final WindowState[][] states = new WindowState[specs.length][];
    /** Per aggregate and window, the first bucket still in the window. */
    private final int[][] lo = new int[specs.length][];
    private final int width;
    /** The buckets that have ended: added to every window. */
    private int hi;

    Windows(List<Row> rows, long[] bucket) {
      this.rows = rows;
      this.bucket = bucket;
      int columns = 0;
      for (int s = 0; s < specs.length; s++) {
        states[s] = new WindowState[specs[s].windows().length];
        lo[s] = new int[specs[s].windows().length];
        for (int w = 0; w < states[s].length; w++) {
          states[s][w] = WindowState.of(specs[s].function(), specs[s].partials());
        }
        columns += specs[s].windows().length;
      }
      this.width = columns;
    }

    /**
     * Adds the buckets that end by boundary {@code t} to every window and removes from each window
     * the buckets before its start; how many buckets have ended.
     */
    int slideTo(long t) {
      int newHi = hi;
      while (newHi < bucket.length && bucket[newHi] + granularity <= t) {
        newHi++;
      }
      for (int s = 0; s < specs.length; s++) {
        for (int w = 0; w < specs[s].windows().length; w++) {
          WindowState state = states[s][w];
          for (int j = hi; j < newHi; j++) {
            state.add(j, rows.get(j));
          }
          long from = t - specs[s].windows()[w];
          while (lo[s][w] < newHi && bucket[lo[s][w]] < from) {
            state.remove(lo[s][w], rows.get(lo[s][w]));
            lo[s][w]++;
          }
        }
      }
      hi = newHi;
      return hi;
    }

    /** The output row of {@code key} at boundary {@code t}: every window's value, or nulls for an expiry row. */
    Row row(Object[] key, long t, boolean expiry) {
      Object[] values = new Object[keyCount + 2 + width];
      System.arraycopy(key, 0, values, 0, keyCount);
      values[keyCount] = t;
      values[keyCount + 1] = expiry;
      int v = keyCount + 2;
      for (int s = 0; s < specs.length; s++) {
        for (int w = 0; w < specs[s].windows().length; w++) {
          values[v++] = expiry ? null : states[s][w].value();
        }
      }
      return RowFactory.create(values);
    }
  }

  private long ceilToBoundary(long micros) {
    return Math.floorDiv(micros + granularity - 1, granularity) * granularity;
  }

  /** The running value of one aggregate over one sliding window. */
  abstract static class WindowState {
    abstract void add(int index, Row bucket);

    abstract void remove(int index, Row bucket);

    abstract Object value();

    static WindowState of(AggregateFunction f, int[] p) {
      return switch (f) {
        case COUNT -> new Count(p[0]);
        case SUM -> new Sum(p[0], p[1], false);
        case AVG -> new Sum(p[0], p[1], true);
        case MIN -> new Extreme(p[0], true);
        case MAX -> new Extreme(p[0], false);
        case STDDEV -> new StdDev(p[0], p[1], p[2]);
        case APPROX_COUNT_DISTINCT -> new Distinct(p[0]);
        case LAST -> new Last(p[0]);
      };
    }
  }

  private static final class Count extends WindowState {
    private final int n;
    private long count;

    Count(int n) {
      this.n = n;
    }

    @Override
    void add(int index, Row b) {
      count += b.getLong(n);
    }

    @Override
    void remove(int index, Row b) {
      count -= b.getLong(n);
    }

    @Override
    Object value() {
      return count;
    }
  }

  private static final class Sum extends WindowState {
    private final int sum;
    private final int n;
    private final boolean average;
    private double total;
    private long count;

    Sum(int sum, int n, boolean average) {
      this.sum = sum;
      this.n = n;
      this.average = average;
    }

    @Override
    void add(int index, Row b) {
      if (!b.isNullAt(sum)) {
        total += b.getDouble(sum);
      }
      count += b.getLong(n);
    }

    @Override
    void remove(int index, Row b) {
      if (!b.isNullAt(sum)) {
        total -= b.getDouble(sum);
      }
      count -= b.getLong(n);
      if (count == 0) {
        total = 0; // no drift once the window is empty
      }
    }

    @Override
    Object value() {
      if (average) {
        return count == 0 ? null : total / count;
      }
      return count == 0 ? 0.0 : total;
    }
  }

  private static final class StdDev extends WindowState {
    private final int n;
    private final int sum;
    private final int squares;
    private long count;
    private double total;
    private double totalSquares;

    StdDev(int n, int sum, int squares) {
      this.n = n;
      this.sum = sum;
      this.squares = squares;
    }

    @Override
    void add(int index, Row b) {
      count += b.getLong(n);
      if (!b.isNullAt(sum)) {
        total += b.getDouble(sum);
        totalSquares += b.getDouble(squares);
      }
    }

    @Override
    void remove(int index, Row b) {
      count -= b.getLong(n);
      if (!b.isNullAt(sum)) {
        total -= b.getDouble(sum);
        totalSquares -= b.getDouble(squares);
      }
      if (count == 0) {
        total = 0;
        totalSquares = 0;
      }
    }

    @Override
    Object value() {
      if (count < 2) {
        return null;
      }
      double variance = (totalSquares - total * total / count) / (count - 1);
      return Math.sqrt(Math.max(0, variance));
    }
  }

  /** Sliding minimum or maximum with a monotonic deque of (bucket index, value). */
  private static final class Extreme extends WindowState {
    private final int p;
    private final boolean min;
    private final ArrayDeque<Integer> indexes = new ArrayDeque<>();
    private final ArrayDeque<Double> values = new ArrayDeque<>();

    Extreme(int p, boolean min) {
      this.p = p;
      this.min = min;
    }

    @Override
    void add(int index, Row b) {
      if (b.isNullAt(p)) {
        return;
      }
      double v = b.getDouble(p);
      while (!values.isEmpty() && (min ? values.peekLast() >= v : values.peekLast() <= v)) {
        values.pollLast();
        indexes.pollLast();
      }
      values.addLast(v);
      indexes.addLast(index);
    }

    @Override
    void remove(int index, Row b) {
      while (!indexes.isEmpty() && indexes.peekFirst() <= index) {
        indexes.pollFirst();
        values.pollFirst();
      }
    }

    @Override
    Object value() {
      return values.isEmpty() ? null : values.peekFirst();
    }
  }

  private static final class Distinct extends WindowState {
    private final int p;
    private final Map<Object, Integer> counts = new HashMap<>();

    Distinct(int p) {
      this.p = p;
    }

    @Override
    void add(int index, Row b) {
      for (Object v : b.getList(p)) {
        counts.merge(v, 1, Integer::sum);
      }
    }

    @Override
    void remove(int index, Row b) {
      for (Object v : b.getList(p)) {
        counts.computeIfPresent(v, (k, c) -> c == 1 ? null : c - 1);
      }
    }

    @Override
    Object value() {
      return (long) counts.size();
    }
  }

  /** The value of the latest bucket in the window that has a non-null value. */
  private static final class Last extends WindowState {
    private final int p;
    private final ArrayDeque<Integer> indexes = new ArrayDeque<>();
    private final ArrayDeque<Object> values = new ArrayDeque<>();

    Last(int p) {
      this.p = p;
    }

    @Override
    void add(int index, Row b) {
      if (!b.isNullAt(p)) {
        indexes.addLast(index);
        values.addLast(b.getStruct(p).get(2));
      }
    }

    @Override
    void remove(int index, Row b) {
      while (!indexes.isEmpty() && indexes.peekFirst() <= index) {
        indexes.pollFirst();
        values.pollFirst();
      }
    }

    @Override
    Object value() {
      return values.isEmpty() ? null : values.peekLast();
    }
  }
}
