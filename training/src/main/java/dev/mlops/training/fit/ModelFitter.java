package dev.mlops.training.fit;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.mlops.core.spark.Identifiers;
import dev.mlops.training.spec.ModelSpec;
import dev.mlops.training.spec.ModelSpecLoader.LoadedSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.storage.StorageLevel;

/**
 * Fits a spec's pipeline deterministically: the same rows, params and seed give the same model
 * and the same predictions, because the rows are laid out the same way before every fit (a fixed
 * number of hash partitions by the row keys, sorted within each) and every random choice of
 * MLlib is seeded. Not thread-safe.
 */
public final class ModelFitter {
  /** The predicted probability of the positive class, added by {@link #predict}. */
  public static final String PROBABILITY = "__p";
  /** Partitions of the laid-out splits: fixed, so that fitting never depends on the input's layout. */
  static final int PARTITIONS = 4;

  private final LoadedSpec spec;
  private final List<String> featureColumns;

  public ModelFitter(LoadedSpec spec, List<String> featureColumns) {
    this.spec = spec;
    this.featureColumns = List.copyOf(featureColumns);
  }

  /** Checks the label, splits {@code rows} by {@code split} and lays the splits out. */
  public PreparedSplits prepare(Dataset<Row> rows, TimeSplit split) {
    ModelSpec s = spec.spec();
    String label = s.spine().label();
    if (!List.of(rows.columns()).contains(label)) {
      throw spec.error("spine.label", "column " + label + " is not in the spine (its columns: "
          + String.join(", ", rows.columns()) + ")");
    }
    var type = rows.schema().apply(label).dataType();
    if (!(type instanceof NumericType || type instanceof BooleanType)) {
      throw spec.error("spine.label", "column " + label + " has type " + type.simpleString() + "; a label is 0/1 or boolean");
    }
    Column y = Identifiers.column(label).cast("double");
    Row check = rows.agg(org.apache.spark.sql.functions.sum(when(y.isNull(), 1).otherwise(0)),
        org.apache.spark.sql.functions.sum(when(y.isNotNull().and(y.notEqual(0)).and(y.notEqual(1)), 1).otherwise(0)))
        .first();
    if (!check.isNullAt(0) && check.getLong(0) > 0) {
      throw spec.error("spine.label", check.getLong(0) + " rows have no label in column " + label + "; fill or filter them in"
          + " the spine query");
    }
    if (!check.isNullAt(1) && check.getLong(1) > 0) {
      throw spec.error("spine.label", check.getLong(1) + " rows have a label other than 0 and 1 in column " + label);
    }
    Row keys0 = rows.selectExpr("count(*)", "count(DISTINCT " + String.join(", ", s.spine().keys().stream()
        .map(Identifiers::quote).toList()) + ")", "count_if(" + String.join(" OR ", s.spine().keys().stream()
        .map(k -> Identifiers.quote(k) + " IS NULL").toList()) + ")").first();
    if (keys0.getLong(2) > 0) {
      throw spec.error("spine.keys", keys0.getLong(2) + " rows have a null in " + s.spine().keys() + "; a row key must identify"
          + " every row");
    }
    if (keys0.getLong(0) != keys0.getLong(1)) {
      throw spec.error("spine.keys", (keys0.getLong(0) - keys0.getLong(1)) + " rows repeat the key " + s.spine().keys()
          + " of another row; list the columns that identify a row");
    }
    Dataset<Row> labelled = rows.withColumn(PipelineFactory.LABEL, y);
    List<Column> keys = s.spine().keys().stream().map(Identifiers::column).toList();
    List<Column> order = new ArrayList<>(keys);
    for (String c : rows.columns()) {
      if (!s.spine().keys().contains(c)) {
        order.add(Identifiers.column(c));
      }
    }
    Map<String, Long> counts = new LinkedHashMap<>();
    Dataset<Row>[] parts = new Dataset[3];
    List<Dataset<Row>> cached = new ArrayList<>();
    long positives = 0;
    try {
    for (TimeSplit.Part part : TimeSplit.Part.values()) {
      Dataset<Row> p = split.part(labelled, part).repartition(PARTITIONS, keys.toArray(Column[]::new))
          .sortWithinPartitions(order.toArray(Column[]::new)).persist(StorageLevel.MEMORY_AND_DISK());
      cached.add(p);
      Row c = p.agg(org.apache.spark.sql.functions.count(lit(1)), org.apache.spark.sql.functions.sum(col(PipelineFactory.LABEL)))
          .first();
      long n = c.getLong(0);
      long pos = c.isNullAt(1) ? 0 : (long) c.getDouble(1);
      String name = part.name().toLowerCase(java.util.Locale.ROOT);
      String where = switch (part) {
        case TRAIN -> s.spine().eventTime() + " < " + split.trainEnd();
        case VALIDATION -> split.trainEnd() + " <= " + s.spine().eventTime() + " < " + split.validationEnd();
        case TEST -> s.spine().eventTime() + " >= " + split.validationEnd();
      };
      if (n == 0) {
        throw spec.error("split", "leaves the " + name + " split empty (" + where + "); move the split dates or change the"
            + " fractions");
      }
      if (pos == 0 || pos == n) {
        throw spec.error("split", "the " + name + " split (" + where + ", " + n + " rows) has only " + (pos == 0 ? "negative"
            : "positive") + " labels; a binary model needs both in every split");
      }
      if (part == TimeSplit.Part.TRAIN) {
        positives = pos;
      }
      counts.put(name, n);
      parts[part.ordinal()] = p;
    }
    } catch (RuntimeException e) {
      cached.forEach(Dataset::unpersist);
      throw e;
    }
    double wPos = 1;
    double wNeg = 1;
    if (s.classWeight().equals("balanced")) {
      long n = counts.get("train");
      wPos = n / (2.0 * positives);
      wNeg = n / (2.0 * (n - positives));
    }
    Column weight = when(col(PipelineFactory.LABEL).equalTo(1), lit(wPos)).otherwise(lit(wNeg));
    return new PreparedSplits(parts[0].withColumn(PipelineFactory.WEIGHT, weight), parts[1], parts[2], counts, wPos, wNeg,
        cached);
  }

  /**
   * The candidates' params: the spec's fixed params with each combination of the grid (keys in
   * name order, values as written), and {@code maxBins} raised for trees so that every string
   * feature's categories fit.
   */
  public List<Map<String, String>> candidates(PreparedSplits splits) {
    ModelSpec s = spec.spec();
    Map<String, String> fixed = PipelineFactory.fixedParams(s);
    if (!s.algorithm().type().equals("logistic_regression") && !fixed.containsKey("maxBins")
        && !s.algorithm().grid().containsKey("maxBins") && s.categorical().encodingFor(s.algorithm().type()).equals("index")) {
      long most = 0;
      for (String f : featureColumns) {
        if (splits.train().schema().apply(f).dataType() instanceof StringType) {
          most = Math.max(most, splits.train().select(Identifiers.column(f)).distinct().count());
        }
      }
      if (most + 2 > 32) {
        fixed.put("maxBins", String.valueOf(most + 2));
      }
    }
    return gridOf(fixed);
  }

  /** {@code fixed} with each combination of the spec's grid (keys in name order, values as written). */
  public List<Map<String, String>> gridOf(Map<String, String> fixed) {
    ModelSpec s = spec.spec();
    List<Map<String, String>> out = new ArrayList<>();
    out.add(fixed);
    for (Map.Entry<String, List<Object>> g : new TreeMap<>(s.algorithm().grid()).entrySet()) {
      List<Map<String, String>> next = new ArrayList<>();
      for (Map<String, String> base : out) {
        for (Object v : g.getValue()) {
          Map<String, String> m = new LinkedHashMap<>(base);
          m.put(g.getKey(), String.valueOf(v));
          next.add(m);
        }
      }
      out = next;
    }
    return out;
  }

  /** Fits the pipeline with {@code params} on the training split. */
  public PipelineModel fit(PreparedSplits splits, Map<String, String> params) {
    return PipelineFactory.create(spec, splits.train().schema(), featureColumns, params,
        spec.spec().classWeight().equals("balanced")).fit(splits.train());
  }

  /** The label column of the prepared splits. */
  public String label() {
    return PipelineFactory.LABEL;
  }

  /** {@code rows} with {@value #PROBABILITY}, the model's probability of the positive class. */
  public static Dataset<Row> predict(PipelineModel model, Dataset<Row> rows) {
    return model.transform(rows).withColumn(PROBABILITY,
        org.apache.spark.ml.functions.vector_to_array(col("probability"), "float64").getItem(1));
  }
}
