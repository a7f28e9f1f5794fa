package dev.mlops.benchmarks;

import dev.mlops.core.spark.Identifiers;
import dev.mlops.monitoring.ColumnDrift;
import dev.mlops.monitoring.DriftInput;
import dev.mlops.monitoring.DriftJudge;
import dev.mlops.monitoring.DriftSide;
import dev.mlops.monitoring.Reference;
import dev.mlops.monitoring.drift.ExactCategorical;
import dev.mlops.monitoring.drift.ExactNumeric;
import dev.mlops.validation.profiles.PartitionProfiler.Kind;
import dev.mlops.validation.profiles.PartitionProfiler.ProfiledColumn;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

/**
 * The baseline of {@code mlops bench drift}: drift as Evidently computes it on pandas, with the
 * data brought to the driver. For each feature the reference's values are collected once; then for
 * each partition the feature's values are collected (one Spark action per partition and feature)
 * and the drift library's exact distributions ({@link ExactNumeric}, {@link ExactCategorical})
 * give the same metrics as the engines. Results in the engines' order: partition, then column.
 *
 * <p>For a {@link Reference.Whole} reference with one side, as the benchmark uses. Stateless.
 */
final class EvidentlyStyleDrift {
  private EvidentlyStyleDrift() {}

  static List<ColumnDrift> compare(DriftInput input, DriftJudge judge) {
    Dataset<Row> reference = ((Reference.Whole) input.reference()).sides().stream().map(DriftSide::rows).findFirst()
        .orElseThrow();
    Column partition = Identifiers.column(input.partitionColumn()).cast("string");
    Map<String, ColumnDrift> byKey = new LinkedHashMap<>();
    for (ProfiledColumn c : input.columns()) {
      if (c.kind() == Kind.NUMERIC) {
        ExactNumeric ref = ExactNumeric.of(doubles(reference, c));
        for (String p : input.partitions()) {
          byKey.put(p + "/" + c.name(), judge.numeric(c.name(), p, ref,
              ExactNumeric.of(doubles(input.rows().where(partition.equalTo(p)), c))));
        }
      } else {
        ExactCategorical ref = ExactCategorical.ofValues(texts(reference, c));
        for (String p : input.partitions()) {
          byKey.put(p + "/" + c.name(), judge.categorical(c.name(), p, ref,
              ExactCategorical.ofValues(texts(input.rows().where(partition.equalTo(p)), c))));
        }
      }
    }
    List<ColumnDrift> out = new ArrayList<>();
    for (String p : input.partitions()) {
      input.columns().forEach(c -> out.add(byKey.get(p + "/" + c.name())));
    }
    return out;
  }

  private static List<Double> doubles(Dataset<Row> rows, ProfiledColumn c) {
    return rows.select(c.value().cast("double")).as(Encoders.DOUBLE()).collectAsList();
  }

  private static List<String> texts(Dataset<Row> rows, ProfiledColumn c) {
    return rows.select(c.value().cast("string")).as(Encoders.STRING()).collectAsList();
  }
}
