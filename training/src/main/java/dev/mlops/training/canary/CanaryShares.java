package dev.mlops.training.canary;

import static org.apache.spark.sql.functions.col;

import dev.mlops.core.runs.JobRun;
import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.TableValues;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.training.spec.ModelSpec.AbSpec;
import dev.mlops.training.spec.ModelSpec.VariantSpec;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code ml.canary_shares}: the steps of every canary ramp, one row per judged day, each with the
 * day from which its share applies. Scoring reads the share in force on the day it scores, so
 * scoring a past day again gives the entities the same variants; monitoring appends the steps.
 * A day judged again replaces its row (a MERGE on model, variant and day). Stateless.
 */
public final class CanaryShares {
  /** The table. */
  public static final TableName TABLE = TableName.parse("ml.canary_shares");

  static final StructType SCHEMA = new StructType()
      .add("model", DataTypes.StringType, false)
      .add("variant", DataTypes.StringType, false)
      .add("partition", DataTypes.DateType, false)
      .add("effective_date", DataTypes.DateType, false)
      .add("step", DataTypes.IntegerType, false)
      .add("share", DataTypes.DoubleType, false)
      .add("action", DataTypes.StringType, false)
      .add("metric", DataTypes.StringType, false)
      .add("variant_value", DataTypes.DoubleType, true)
      .add("production_value", DataTypes.DoubleType, true)
      .add("labelled_rows", DataTypes.LongType, false)
      .add("alert_id", DataTypes.StringType, true)
      .add("reason", DataTypes.StringType, false)
      .add("decided_at", DataTypes.TimestampType, false)
      .add("run_id", DataTypes.StringType, true);

  private final Warehouse warehouse;

  public CanaryShares(Warehouse warehouse) {
    this.warehouse = warehouse;
  }

  /** The steps of {@code model}'s {@code variant}, by effective day then judged day. */
  public List<RampStep> steps(String model, String variant) {
    if (!warehouse.exists(TABLE)) {
      return List.of();
    }
    List<RampStep> out = new ArrayList<>();
    for (Row r : warehouse.read(TABLE).where(col("model").equalTo(model).and(col("variant").equalTo(variant)))
        .collectAsList()) {
      out.add(new RampStep(r.getAs("model"), r.getAs("variant"), r.<Date>getAs("partition").toLocalDate(),
          r.<Date>getAs("effective_date").toLocalDate(), r.<Integer>getAs("step"), r.<Double>getAs("share"),
          r.getAs("action"), r.getAs("metric"), nan(r.getAs("variant_value")), nan(r.getAs("production_value")),
          r.<Long>getAs("labelled_rows"), r.getAs("alert_id"), r.getAs("reason")));
    }
    out.sort(Comparator.comparing(RampStep::effectiveDate).thenComparing(RampStep::partition));
    return out;
  }

  /** The last step in force on {@code day}, if any. */
  public Optional<RampStep> inForce(String model, String variant, LocalDate day) {
    return inForce(steps(model, variant), day);
  }

  private static Optional<RampStep> inForce(List<RampStep> steps, LocalDate day) {
    RampStep last = null;
    for (RampStep s : steps) {
      if (!s.effectiveDate().isAfter(day)) {
        last = s;
      }
    }
    return Optional.ofNullable(last);
  }

  /**
   * The shares of {@code ab}'s variants on {@code day}: a ramped variant's share in force then (its
   * first step before any decision), the others' as listed.
   */
  public Map<String, Double> sharesOn(String model, AbSpec ab, LocalDate day) {
    return sharesBetween(model, ab, day, day).get(day);
  }

  /** {@link #sharesOn} for each day from {@code first} to {@code last}, with the steps read once. */
  public Map<LocalDate, Map<String, Double>> sharesBetween(String model, AbSpec ab, LocalDate first, LocalDate last) {
    Map<String, List<RampStep>> steps = new LinkedHashMap<>();
    for (VariantSpec v : ab.variants()) {
      if (v.ramped()) {
        steps.put(v.name(), steps(model, v.name()));
      }
    }
    Map<LocalDate, Map<String, Double>> byDay = new LinkedHashMap<>();
    for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
      Map<String, Double> shares = new LinkedHashMap<>();
      for (VariantSpec v : ab.variants()) {
        shares.put(v.name(), v.ramped() ? inForce(steps.get(v.name()), d).map(RampStep::share).orElse(v.share())
            : v.share());
      }
      byDay.put(d, shares);
    }
    return byDay;
  }

  /** Records {@code step}. */
  public void record(RampStep step, Instant at, JobRun run) {
    Row row = RowFactory.create(step.model(), step.variant(), Date.valueOf(step.partition()),
        Date.valueOf(step.effectiveDate()), step.step(), step.share(), step.action(), step.metric(),
        TableValues.finiteOrNull(step.variantValue()), TableValues.finiteOrNull(step.productionValue()),
        step.labelledRows(), step.alertId(), step.reason(), Timestamp.from(at), run == null ? null : run.runId());
    warehouse.ensureDatabase(TABLE.database());
    var written = warehouse.upsert(warehouse.spark().createDataFrame(List.of(row), SCHEMA), TABLE,
        List.of("model", "variant", "partition"), run == null ? Map.of() : run.commitInfo());
    if (run != null) {
      run.output(written);
    }
  }

  private static double nan(Double d) {
    return d == null ? Double.NaN : d;
  }
}
