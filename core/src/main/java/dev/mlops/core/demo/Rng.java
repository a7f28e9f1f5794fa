package dev.mlops.core.demo;

import java.util.SplittableRandom;

/** Deterministic randomness keyed by (seed, stream, index), independent of how data is split. */
final class Rng {
  static final long CUSTOMERS = 0x43555354L;
  static final long MERCHANTS = 0x4d455243L;
  static final long TRANSACTIONS = 0x5452414eL;
  static final long PLANTED = 0x504c414eL;

  private Rng() {}

  /** A generator for one entity of one stream. */
  static SplittableRandom of(long seed, long stream, long index) {
    return new SplittableRandom(mix(mix(seed ^ stream) + index));
  }

  /** A uniform double in [0, 1) from (seed, stream, index) alone. */
  static double uniform(long seed, long stream, long index) {
    return (mix(mix(seed ^ stream) ^ mix(index)) >>> 11) * 0x1.0p-53;
  }

  /** SplitMix64's finalizer. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  static double gaussian(SplittableRandom r) {
    double u1 = 1.0 - r.nextDouble();
    double u2 = r.nextDouble();
    return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  static int pick(SplittableRandom r, double[] cumulativeWeights) {
    double u = r.nextDouble() * cumulativeWeights[cumulativeWeights.length - 1];
    for (int i = 0; i < cumulativeWeights.length; i++) {
      if (u < cumulativeWeights[i]) {
        return i;
      }
    }
    return cumulativeWeights.length - 1;
  }

  static double[] cumulative(double... weights) {
    double[] c = new double[weights.length];
    double sum = 0;
    for (int i = 0; i < weights.length; i++) {
      sum += weights[i];
      c[i] = sum;
    }
    return c;
  }
}
