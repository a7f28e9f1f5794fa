package dev.mlops.validation;

import dev.mlops.validation.analyzers.Analyzer;
import dev.mlops.validation.analyzers.Outcome;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.types.StructType;

/**
 * The outcome of every analyzer of a run, with the data's schema and the time freshness is
 * measured against. Immutable.
 *
 * @param outcomes by analyzer, in the order computed
 * @param schema the data's schema
 * @param referenceMicros "now" for freshness: the run's time, or the end of the validated date partition
 * @param path how the shared pass read the data
 */
public record AnalysisResult(Map<Analyzer, Outcome> outcomes, StructType schema, long referenceMicros, ScanPath path) {
  public AnalysisResult {
    outcomes = Collections.unmodifiableMap(new LinkedHashMap<>(outcomes));
  }

  /** The outcome of {@code analyzer}; a failure if it was not computed. */
  public Outcome outcome(Analyzer analyzer) {
    Outcome o = outcomes.get(analyzer);
    return o != null ? o : Outcome.failed("analyzer " + analyzer.name() + "(" + analyzer.column() + ") was not computed");
  }
}
