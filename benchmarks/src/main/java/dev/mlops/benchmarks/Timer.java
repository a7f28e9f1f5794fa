package dev.mlops.benchmarks;

import java.util.function.Supplier;

/** Times one run of a computation. */
final class Timer {
  private Timer() {}

  /** A result and the seconds it took. */
  record Timed<T>(T value, double seconds) {}

  /** The faster of two runs ({@code a} may be null). */
  static <T> Timed<T> fastest(Timed<T> a, Timed<T> b) {
    return a == null || b.seconds() < a.seconds() ? b : a;
  }

  static <T> Timed<T> time(Supplier<T> work) {
    long start = System.nanoTime();
    T value = work.get();
    return new Timed<>(value, (System.nanoTime() - start) / 1e9);
  }
}
