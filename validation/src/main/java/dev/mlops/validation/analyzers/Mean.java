package dev.mlops.validation.analyzers;

/** The mean of a numeric column (nulls ignored; fails when there is no value). */
public record Mean(String column) implements MomentAnalyzer {
  private static final long serialVersionUID = 1L;

  @Override
  public String name() {
    return "mean";
  }

  @Override
  public Outcome outcome(ScanState state) {
    MomentState s = (MomentState) state;
    return s.count() == 0 ? Numeric.noValue(column) : Outcome.of(s.mean());
  }
}
