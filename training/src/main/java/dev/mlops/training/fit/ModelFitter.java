package dev.mlops.training.fit;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.mlops.core.config.Problems;
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

  /** Checks the label and the keys, splits {@code rows} by {@code split} and lays the splits out. */
  public PreparedSplits prepare(Dataset<Row> rows, TimeSplit split) {
    Column label = checkedLabel(rows);
    LaidOut laid = layOut(rows.withColumn(PipelineFactory.LABEL, label), split);
    double wPos = 1;
    double wNeg = 1;
    if (spec.spec().classWeight().equals("balanced")) {
      long n = laid.rows().get("train");
      wPos = n / (2.0 * laid.trainPositives());
      wNeg = n / (2.0 * (n - laid.trainPositives()));
    }
    Column weight = when(col(PipelineFactory.LABEL).equalTo(1), lit(wPos)).otherwise(lit(wNeg));
    List<Dataset<Row>> parts = laid.parts();
    return new PreparedSplits(parts.get(0).withColumn(PipelineFactory.WEIGHT, weight), parts.get(1), parts.get(2),
        laid.rows(), wPos, wNeg, parts);
  }

  /** The splits laid out and cached, in {@link TimeSplit.Part} order, with their row counts. */
  private record LaidOut(List<Dataset<Row>> parts, Map<String, Long> rows, long trainPositives) {}

  /**
   * The spine's label as a double, once the spine is checked: its label column there, of a label
   * type, with no nulls and only 0 and 1; its keys never null and never repeated. The problems of
   * the label and of the keys are reported together.
   */
  private Column checkedLabel(Dataset<Row> rows) {
    Problems problems = spec.problems();
    Column y = labelColumn(rows, problems);
    if (y != null) {
      checkLabels(rows, y, problems);
    }
    checkKeys(rows, problems);
    problems.throwIfAny();
    return y;
  }

  /** The label column as a double; null, with the problem added, when it is missing or of another type. */
  private Column labelColumn(Dataset<Row> rows, Problems problems) {
    String label = spec.spec().spine().label();
    if (!List.of(rows.columns()).contains(label)) {
      problems.add(spec.at("spine.label"), "column " + label + " is not in the spine (its columns: "
          + String.join(", ", rows.columns()) + ")");
      return null;
    }
    var type = rows.schema().apply(label).dataType();
    if (!(type instanceof NumericType || type instanceof BooleanType)) {
      problems.add(spec.at("spine.label"), "column " + label + " has type " + type.simpleString()
          + "; a label is 0/1 or boolean");
      return null;
    }
    return Identifiers.column(label).cast("double");
  }

  private void checkLabels(Dataset<Row> rows, Column y, Problems problems) {
    String label = spec.spec().spine().label();
    Row check = rows.agg(org.apache.spark.sql.functions.sum(when(y.isNull(), 1).otherwise(0)),
        org.apache.spark.sql.functions.sum(when(y.isNotNull().and(y.notEqual(0)).and(y.notEqual(1)), 1).otherwise(0)))
        .first();
    if (!check.isNullAt(0) && check.getLong(0) > 0) {
      problems.add(spec.at("spine.label"), check.getLong(0) + " rows have no label in column " + label
          + "; fill or filter them in the spine query");
    }
    if (!check.isNullAt(1) && check.getLong(1) > 0) {
      problems.add(spec.at("spine.label"), check.getLong(1) + " rows have a label other than 0 and 1 in column " + label
          + "; map them to 0 and 1 in the spine query");
    }
  }

  private void checkKeys(Dataset<Row> rows, Problems problems) {
    List<String> keys = spec.spec().spine().keys();
    Row counts = rows.selectExpr("count(*)", "count(DISTINCT " + String.join(", ", keys.stream()
        .map(Identifiers::quote).toList()) + ")", "count_if(" + String.join(" OR ", keys.stream()
        .map(k -> Identifiers.quote(k) + " IS NULL").toList()) + ")").first();
    if (counts.getLong(2) > 0) {
      problems.add(spec.at("spine.keys"), counts.getLong(2) + " rows have a null in " + keys + "; a row key must identify"
          + " every row");
    }
    if (counts.getLong(0) != counts.getLong(1)) {
      problems.add(spec.at("spine.keys"), (counts.getLong(0) - counts.getLong(1)) + " rows repeat the key " + keys
          + " of another row; list the columns that identify a row");
    }
  }

  /**
   * Splits {@code labelled} and lays each split out the same way whatever the input's layout: a
   * fixed number of hash partitions by the keys, sorted within each, cached. Every split must hold
   * rows of both labels; the problems of all three are reported together, and nothing stays cached.
   */
  private LaidOut layOut(Dataset<Row> labelled, TimeSplit split) {
    ModelSpec s = spec.spec();
    List<Column> keys = s.spine().keys().stream().map(Identifiers::column).toList();
    List<Column> order = new ArrayList<>(keys);
    for (String c : labelled.columns()) {
      if (!s.spine().keys().contains(c) && !c.equals(PipelineFactory.LABEL)) {
        order.add(Identifiers.column(c));
      }
    }
    Map<String, Long> counts = new LinkedHashMap<>();
    List<Dataset<Row>> parts = new ArrayList<>();
    long positives = 0;
    Problems problems = spec.problems();
    try {
      for (TimeSplit.Part part : TimeSplit.Part.values()) {
        Dataset<Row> p = split.part(labelled, part).repartition(PARTITIONS, keys.toArray(Column[]::new))
            .sortWithinPartitions(order.toArray(Column[]::new)).persist(StorageLevel.MEMORY_AND_DISK());
        parts.add(p);
        Row c = p.agg(org.apache.spark.sql.functions.count(lit(1)),
            org.apache.spark.sql.functions.sum(col(PipelineFactory.LABEL))).first();
        long n = c.getLong(0);
        long pos = c.isNullAt(1) ? 0 : (long) c.getDouble(1);
        checkSplit(part, split, n, pos, problems);
        positives = part == TimeSplit.Part.TRAIN ? pos : positives;
        counts.put(part.name().toLowerCase(java.util.Locale.ROOT), n);
      }
      problems.throwIfAny();
    } catch (RuntimeException e) {
      parts.forEach(Dataset::unpersist);
      throw e;
    }
    return new LaidOut(List.copyOf(parts), counts, positives);
  }

  /** Adds a problem when the split {@code part}, of {@code n} rows with {@code positives}, is empty or one-class. */
  private void checkSplit(TimeSplit.Part part, TimeSplit split, long n, long positives, Problems problems) {
    String time = spec.spec().spine().eventTime();
    String name = part.name().toLowerCase(java.util.Locale.ROOT);
    String where = switch (part) {
      case TRAIN -> time + " < " + split.trainEnd();
      case VALIDATION -> split.trainEnd() + " <= " + time + " < " + split.validationEnd();
      case TEST -> time + " >= " + split.validationEnd();
    };
    if (n == 0) {
      problems.add(spec.at("split"), "leaves the " + name + " split empty (" + where + "); move the split dates or"
          + " change the fractions");
    } else if (positives == 0 || positives == n) {
      problems.add(spec.at("split"), "the " + name + " split (" + where + ", " + n + " rows) has only "
          + (positives == 0 ? "negative" : "positive") + " labels; a binary model needs both in every split");
    }
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
