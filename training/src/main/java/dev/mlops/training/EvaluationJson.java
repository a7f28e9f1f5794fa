package dev.mlops.training;

import dev.mlops.training.evaluation.CalibrationBin;
import dev.mlops.training.evaluation.Evaluation;
import dev.mlops.training.evaluation.SliceMetrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Evaluations as JSON-ready maps, undefined figures as null: what the registry stores and the CLI prints. */
final class EvaluationJson {
  private EvaluationJson() {}

  static Map<String, Object> of(Evaluation e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("overall", e.overall().asMap());
    m.put("calibration", e.calibration().stream().map(EvaluationJson::bin).toList());
    m.put("slices", e.slices().stream().map(EvaluationJson::slice).toList());
    return m;
  }

  private static Map<String, Object> bin(CalibrationBin b) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("bin", b.bin());
    m.put("lower", b.lower());
    m.put("upper", b.upper());
    m.put("rows", b.rows());
    m.put("mean_predicted", nan(b.meanPredicted()));
    m.put("observed_rate", nan(b.observedRate()));
    return m;
  }

  private static Map<String, Object> slice(SliceMetrics s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("column", s.column());
    m.put("value", s.value());
    m.put("metrics", s.metrics().asMap());
    return m;
  }

  static List<Map<String, Object>> candidates(List<TrainResult.Candidate> cs) {
    return cs.stream().map(c -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("params", c.params());
      m.put("validation", nan(c.validation()));
      m.put("chosen", c.chosen());
      return m;
    }).toList();
  }

  private static Double nan(double d) {
    return Double.isNaN(d) ? null : d;
  }
}
