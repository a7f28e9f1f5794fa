package dev.mlops.core.demo;

import java.time.LocalDate;
import java.util.SplittableRandom;

/** A demo customer: what is written to {@code raw.customers} and the hidden traits behind it. */
record Customer(long id, String segment, Country homeCountry, int birthYear, double creditLimit,
    LocalDate signupDate, double spendLevel, double risk) {
  private static final String[] SEGMENTS = {"student", "standard", "premium", "business"};
  private static final double[] SEGMENT_WEIGHTS = Rng.cumulative(0.15, 0.55, 0.20, 0.10);
  private static final double[] SPEND = {0.6, 1.0, 1.8, 2.5};
  private static final double[] LIMIT = {1_500, 5_000, 15_000, 25_000};

  /** The customer with {@code id}, the same for the same seed. */
  static Customer of(long seed, long id, LocalDate start) {
    SplittableRandom r = Rng.of(seed, Rng.CUSTOMERS, id);
    int s = Rng.pick(r, SEGMENT_WEIGHTS);
    Country home = Country.pick(r);
    int birthYear = s == 0 ? 1998 + r.nextInt(9) : 1950 + r.nextInt(52);
    double limit = Math.round(LIMIT[s] * (0.5 + r.nextDouble()) / 100.0) * 100.0;
    LocalDate signup = start.minusDays(30 + r.nextInt(3620));
    double spend = SPEND[s] * Math.exp(0.3 * Rng.gaussian(r));
    double risk = 0.6 * Rng.gaussian(r) + (s == 0 ? 0.4 : 0.0);
    return new Customer(id, SEGMENTS[s], home, birthYear, limit, signup, spend, risk);
  }
}
