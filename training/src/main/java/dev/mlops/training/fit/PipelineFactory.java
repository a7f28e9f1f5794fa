package dev.mlops.training.fit;

import dev.mlops.core.config.Problems;
import dev.mlops.core.spark.Identifiers;
import dev.mlops.training.spec.ModelSpec;
import dev.mlops.training.spec.ModelSpecLoader.LoadedSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.GBTClassifier;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.classification.RandomForestClassifier;
import org.apache.spark.ml.feature.OneHotEncoder;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.FloatParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;

/**
 * The MLlib pipeline of a spec: numeric features cast to double with missing values (null or NaN) as 0,
 * string features indexed by frequency (unseen and missing values get an index of their own) and
 * one-hot encoded when the spec asks, one assembled vector, and the classifier with its params.
 * The label ({@value #LABEL}) and weight ({@value #WEIGHT}) columns are prepared by the caller,
 * so the fitted pipeline needs only the features: scoring feeds it the same columns.
 * Thread-safe (stateless).
 */
public final class PipelineFactory {
  /** The label column the classifier fits on (double 0/1). */
  public static final String LABEL = "__label";
  /** The weight column, with class weighting. */
  public static final String WEIGHT = "__weight";
  /** The assembled features. */
  public static final String FEATURES = "__features";

  private PipelineFactory() {}

  /**
   * The pipeline for {@code spec} over {@code schema}'s {@code featureColumns}.
   *
   * @param params every classifier param to set (fixed ones and one grid candidate's)
   * @param weighted whether the classifier takes {@value #WEIGHT}
   * @throws dev.mlops.core.config.ConfigException naming every feature of a type a model cannot
   *     take and every param the classifier refuses
   */
  public static Pipeline create(LoadedSpec spec, StructType schema, List<String> featureColumns, Map<String, String> params,
      boolean weighted) {
    Problems problems = spec.problems();
    Pipeline pipeline = create(spec, schema, featureColumns, params, weighted, problems);
    problems.throwIfAny();
    return pipeline;
  }

  /**
   * As {@link #create(LoadedSpec, StructType, List, Map, boolean)}, adding the problems found to
   * {@code problems} instead of throwing them.
   *
   * @return the pipeline, or null when a problem was added
   */
  public static Pipeline create(LoadedSpec spec, StructType schema, List<String> featureColumns, Map<String, String> params,
      boolean weighted, Problems problems) {
    ModelSpec s = spec.spec();
    List<String> numeric = new ArrayList<>();
    List<String> strings = new ArrayList<>();
    boolean usable = true;
    for (String f : featureColumns) {
      DataType t = schema.apply(f).dataType();
      if (t instanceof NumericType || t instanceof BooleanType) {
        numeric.add(f);
      } else if (t instanceof StringType) {
        strings.add(f);
      } else {
        problems.add(spec.at(featureKey(s, f)), "feature " + f + " has type " + t.simpleString()
            + ", which a model cannot take; use numeric or string features");
        usable = false;
      }
    }
    ProbabilisticClassifier<?, ?, ?> classifier = classifier(spec, params, weighted, problems);
    if (!usable || classifier == null) {
      return null;
    }
    List<PipelineStage> stages = new ArrayList<>();
    List<String> assembled = new ArrayList<>();
    if (!numeric.isEmpty()) {
      StringBuilder sql = new StringBuilder("SELECT *");
      for (String f : numeric) {
        sql.append(", nanvl(coalesce(CAST(").append(Identifiers.quote(f)).append(" AS double), 0D), 0D) AS ")
            .append(Identifiers.quote("__num_" + f));
        assembled.add("__num_" + f);
      }
      stages.add(new SQLTransformer().setStatement(sql.append(" FROM __THIS__").toString()));
    }
    if (!strings.isEmpty()) {
      String[] in = strings.toArray(String[]::new);
      String[] idx = strings.stream().map(f -> "__idx_" + f).toArray(String[]::new);
      stages.add(new StringIndexer().setInputCols(in).setOutputCols(idx).setHandleInvalid("keep")
          .setStringOrderType("frequencyDesc"));
      if (s.categorical().encodingFor(s.algorithm().type()).equals("one-hot")) {
        String[] oh = strings.stream().map(f -> "__oh_" + f).toArray(String[]::new);
        stages.add(new OneHotEncoder().setInputCols(idx).setOutputCols(oh).setHandleInvalid("keep").setDropLast(true));
        assembled.addAll(List.of(oh));
      } else {
        assembled.addAll(List.of(idx));
      }
    }
    stages.add(new VectorAssembler().setInputCols(assembled.toArray(String[]::new)).setOutputCol(FEATURES));
    stages.add(classifier);
    return new Pipeline().setStages(stages.toArray(PipelineStage[]::new));
  }

  /**
   * The classifier of the spec with {@code params} set; null when a param is unknown or its value
   * invalid, with a problem added for each, naming its spec key.
   */
  private static ProbabilisticClassifier<?, ?, ?> classifier(LoadedSpec spec, Map<String, String> params, boolean weighted,
      Problems problems) {
    ProbabilisticClassifier<?, ?, ?> c = switch (spec.spec().algorithm().type()) {
      case "logistic_regression" -> new LogisticRegression();
      case "random_forest" -> new RandomForestClassifier();
      default -> new GBTClassifier();
    };
    ParamMap map = new ParamMap();
    boolean valid = true;
    for (Map.Entry<String, String> p : params.entrySet()) {
      Param<Object> param;
      try {
        @SuppressWarnings("unchecked")
        Param<Object> found = (Param<Object>) c.getParam(p.getKey());
        param = found;
      } catch (NoSuchElementException e) {
        problems.add(spec.at(paramKey(spec, p.getKey())), "unknown parameter of " + spec.spec().algorithm().type()
            + "; its parameters: "
            + String.join(", ", java.util.Arrays.stream(c.params()).map(Param::name).sorted().toList()));
        valid = false;
        continue;
      }
      try {
        map.put(param, convert(param, p.getValue()));
      } catch (IllegalArgumentException e) {
        problems.add(spec.at(paramKey(spec, p.getKey())), "invalid value " + p.getValue() + ": " + e.getMessage());
        valid = false;
      }
    }
    if (!valid) {
      return null;
    }
    c.setLabelCol(LABEL).setFeaturesCol(FEATURES);
    if (weighted) {
      if (c instanceof LogisticRegression lr) {
        lr.setWeightCol(WEIGHT);
      } else if (c instanceof RandomForestClassifier rf) {
        rf.setWeightCol(WEIGHT);
      } else if (c instanceof GBTClassifier gbt) {
        gbt.setWeightCol(WEIGHT);
      }
    }
    return (ProbabilisticClassifier<?, ?, ?>) c.copy(map);
  }

  /** The params every candidate of the spec is fitted with besides its grid values: the spec's fixed ones and the seed. */
  public static Map<String, String> fixedParams(ModelSpec s) {
    Map<String, String> out = new LinkedHashMap<>();
    s.algorithm().params().forEach((k, v) -> out.put(k, String.valueOf(v)));
    if (!s.algorithm().type().equals("logistic_regression")) {
      out.putIfAbsent("seed", String.valueOf(s.seed()));
    }
    return out;
  }

  private static Object convert(Param<Object> param, String value) {
    try {
      if (param instanceof IntParam) {
        return (int) Double.parseDouble(value) == Double.parseDouble(value) ? (int) Double.parseDouble(value) : fail(value, "an integer");
      } else if (param instanceof LongParam) {
        return Long.parseLong(value);
      } else if (param instanceof DoubleParam) {
        return Double.parseDouble(value);
      } else if (param instanceof FloatParam) {
        return Float.parseFloat(value);
      } else if (param instanceof BooleanParam) {
        if (!value.equals("true") && !value.equals("false")) {
          return fail(value, "true or false");
        }
        return Boolean.parseBoolean(value);
      }
    } catch (NumberFormatException e) {
      return fail(value, "a number");
    }
    return value;
  }

  private static Object fail(String value, String expected) {
    throw new IllegalArgumentException("expected " + expected + ", got " + value);
  }

  private static String paramKey(LoadedSpec spec, String name) {
    return spec.spec().algorithm().grid().containsKey(name) ? "algorithm.grid." + name : "algorithm.params." + name;
  }

  private static String featureKey(ModelSpec s, String f) {
    return s.spine().requestFeatures().contains(f) ? "spine.request-features" : "features";
  }
}
