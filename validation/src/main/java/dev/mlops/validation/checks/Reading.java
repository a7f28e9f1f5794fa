package dev.mlops.validation.checks;

import dev.mlops.validation.analyzers.Outcome;
import dev.mlops.validation.sketches.HllState;
import dev.mlops.validation.sketches.KllState;

/** How a metric check reads its number from an analyzer's outcome. */
public sealed interface Reading {
  /** The number, NaN when there is none. */
  double read(Outcome outcome);

  /** The analyzer's value. */
  record Value() implements Reading {
    @Override
    public double read(Outcome outcome) {
      return outcome.value();
    }
  }

  /** The distinct count estimated by an HLL state. */
  record DistinctEstimate() implements Reading {
    @Override
    public double read(Outcome outcome) {
      return ((HllState) outcome.state()).estimate();
    }
  }

  /** The quantile {@code q} of a KLL state. */
  record Quantile(double q) implements Reading {
    public Quantile {
      if (!(q >= 0 && q <= 1)) {
        throw new IllegalArgumentException("quantile must be between 0 and 1, got " + q);
      }
    }

    @Override
    public double read(Outcome outcome) {
      return ((KllState) outcome.state()).quantile(q);
    }
  }
}
