package dev.mlops.validation.analyzers;

import org.apache.spark.sql.types.StructType;

/**
 * The share of rows for which its one projected boolean is true ({@link Completeness}, {@link
 * Compliance}), counted in a {@link CountState}: its outcome is that share, with the rows that
 * pass. An implementation adds what it projects. Implementations are immutable records,
 * thread-safe.
 */
interface ShareAnalyzer extends ScanAnalyzer {
  @Override
  default ScanState newState(StructType schema) {
    return new CountState(true);
  }

  @Override
  default Outcome outcome(ScanState state) {
    CountState s = (CountState) state;
    return Outcome.of(s.share(), s.hits());
  }
}
