package dev.mlops.training.spec;

import dev.mlops.core.config.ConfigValueException;
import java.util.List;

/** The checks of a variant's {@code ramp}: its steps, and where a ramped variant may be listed. */
final class CanaryRampSpec {
  private CanaryRampSpec() {}

  /**
   * The variant's first share: {@code share}, or the ramp's first step when only the ramp is given.
   *
   * @throws ConfigValueException for steps that are not increasing within (0, 1], or a share that
   *     is not the first step
   */
  static Double firstShare(Double share, List<Double> ramp) {
    if (ramp == null) {
      return share;
    }
    if (ramp.isEmpty()) {
      throw new ConfigValueException("ramp", "needs at least one step, for example [0.05, 0.2, 0.5, 1.0]");
    }
    for (int i = 0; i < ramp.size(); i++) {
      Double step = ramp.get(i);
      if (step == null || !(step > 0 && step <= 1) || (i > 0 && !(step > ramp.get(i - 1)))) {
        throw new ConfigValueException("ramp[" + i + "]", "steps must increase within (0, 1], got " + ramp);
      }
    }
    if (ramp.get(0) >= 1) {
      throw new ConfigValueException("ramp[0]", "the first step must leave Production a share (< 1), got " + ramp.get(0));
    }
    if (share != null && !share.equals(ramp.get(0))) {
      throw new ConfigValueException("share", "with a ramp the share is its first step " + ramp.get(0) + "; drop share"
          + " or make it " + ramp.get(0));
    }
    return ramp.get(0);
  }

  /** A ramped variant must be the only one and listed last, so that its growth only takes entities from Production. */
  static void checkPlacement(List<ModelSpec.VariantSpec> variants) {
    for (int i = 0; i < variants.size(); i++) {
      if (variants.get(i).ramped() && i != variants.size() - 1) {
        throw new ConfigValueException("variants[" + i + "]", "a ramped variant must be listed last (only one variant"
            + " ramps), so that each step only moves entities from Production into it");
      }
    }
  }
}
