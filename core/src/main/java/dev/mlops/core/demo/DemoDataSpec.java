package dev.mlops.core.demo;

import dev.mlops.core.CoreErrors;
import java.time.LocalDate;

/**
 * What the demo data generator makes: card transactions of customers at merchants over
 * {@code days} days from {@code start}, fraud labels that arrive days later, and a drift from
 * {@code driftDate} on (amounts shift up and a new merchant category, {@code crypto_exchange},
 * appears; with {@code fraudChangesAtDrift}, frauds also stop following the risks and large
 * amounts that told them apart before, so a model trained before the drift degrades). The same
 * spec always gives the same rows.
 *
 * @param seed the random seed
 * @param scale 1.0 gives about a million transactions, 20,000 customers and 2,000 merchants
 * @param start the first day
 * @param days how many days
 * @param driftDate the first day of the drift
 * @param fraudChangesAtDrift whether the fraud pattern changes from {@code driftDate} on (a
 *     concept drift, as {@code mlops demo} plants), not only the inputs' distributions
 */
public record DemoDataSpec(long seed, double scale, LocalDate start, int days, LocalDate driftDate,
    boolean fraudChangesAtDrift) implements java.io.Serializable {
  /** The default first day. */
  public static final LocalDate DEFAULT_START = LocalDate.of(2026, 10, 1);

  public DemoDataSpec {
    if (scale <= 0 || scale > 1000) {
      throw CoreErrors.demoScaleOutOfRange(scale);
    }
    if (days < 7) {
      throw CoreErrors.demoTooFewDays(days);
    }
    if (!driftDate.isAfter(start) || !driftDate.isBefore(start.plusDays(days))) {
      throw CoreErrors.demoDriftOutsideData(driftDate, start, days);
    }
  }

  /** A spec whose drift changes the inputs' distributions only, not the fraud pattern. */
  public DemoDataSpec(long seed, double scale, LocalDate start, int days, LocalDate driftDate) {
    this(seed, scale, start, days, driftDate, false);
  }

  /** Seed 42, scale 1, 35 days from 2026-10-01, drift from day 25 (2026-10-25). */
  public static DemoDataSpec defaults() {
    return withScale(42, 1.0);
  }

  /** The default calendar with {@code seed} and {@code scale}. */
  public static DemoDataSpec withScale(long seed, double scale) {
    return new DemoDataSpec(seed, scale, DEFAULT_START, 35, DEFAULT_START.plusDays(24));
  }

  /** The day after the last day. */
  public LocalDate end() {
    return start.plusDays(days);
  }

  /** Number of transactions. */
  public long transactions() {
    return Math.max(1000, Math.round(1_000_000 * scale));
  }

  /** Number of customers. */
  public int customers() {
    return (int) Math.max(100, Math.round(20_000 * scale));
  }

  /** Number of merchants, the new category's included. */
  public int merchants() {
    return (int) Math.max(50, Math.round(2_000 * Math.min(scale, 50)));
  }

  /** Day index (0-based) of the drift. */
  public int driftDay() {
    return (int) (driftDate.toEpochDay() - start.toEpochDay());
  }
}
