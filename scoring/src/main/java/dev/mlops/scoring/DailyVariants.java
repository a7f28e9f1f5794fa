package dev.mlops.scoring;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.mlops.core.tables.Warehouse;
import dev.mlops.training.canary.CanaryShares;
import dev.mlops.training.spec.ModelSpec.AbSpec;
import java.sql.Date;
import java.time.LocalDate;
import java.util.Map;
import org.apache.spark.sql.Column;

/**
 * The variant column of scored rows over a range of days: with a ramped canary, each day's
 * entities are assigned with the shares in force on that day ({@code ml.canary_shares}), so
 * scoring a past day again assigns them as before; without one, the listed shares. Stateless.
 */
final class DailyVariants {
  private DailyVariants() {}

  /** The variant column (null for Production) of rows with a {@value BatchScorer#SCORE_DATE} in {@code first .. last}. */
  static Column column(Warehouse warehouse, String model, AbSpec ab, LocalDate first, LocalDate last) {
    if (ab == null) {
      return lit(null).cast("string");
    }
    if (ab.variants().stream().noneMatch(v -> v.ramped())) {
      return new VariantAssigner(ab).variant();
    }
    Column chain = null;
    for (Map.Entry<LocalDate, Map<String, Double>> on : new CanaryShares(warehouse).sharesBetween(model, ab, first, last)
        .entrySet()) {
      Column day = col(BatchScorer.SCORE_DATE).equalTo(lit(Date.valueOf(on.getKey())));
      Column variant = new VariantAssigner(ab, on.getValue()).variant();
      chain = chain == null ? when(day, variant) : chain.when(day, variant);
    }
    return chain.otherwise(lit(null).cast("string"));
  }
}
