package dev.mlops.training.evaluation;

import java.io.Serializable;

/**
 * One group of rows that gets its own metrics: all rows ({@link #OVERALL}), one calibration bin
 * (set {@link #CALIBRATION}, value the bin's index) or one value of slice column {@code set - 1}.
 */
record GroupKey(int set, String value) implements Serializable {
  static final int CALIBRATION = -1;
  static final GroupKey OVERALL = new GroupKey(0, "");
}
