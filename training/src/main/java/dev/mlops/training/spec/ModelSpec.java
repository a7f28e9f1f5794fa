package dev.mlops.training.spec;

import static dev.mlops.core.config.ConfigValueException.require;

import dev.mlops.core.config.ConfigValueException;
import dev.mlops.core.config.Durations;
import java.util.List;
import java.util.Map;

/**
 * A model as its owners define it in {@code conf/models/<name>.yaml}: the feature service it
 * consumes, the spine and label, the time-based split, the algorithm with its hyperparameter
 * grid, the seed, categorical handling, class weighting, evaluation slices, the gate and the
 * promotion policy. See {@code docs/TRAINING.md} for the format.
 *
 * <p>Immutable and thread-safe. Read one with {@link ModelSpecLoader}; the loader checks the
 * shape, {@code mlops train} checks it against the registry and the spine's real schema.
 *
 * @param name the model's name, also its registry name
 * @param description what the model is for (on the model card)
 * @param owner who owns it
 * @param featureService the feature service and its version
 * @param features the service's features the model uses, by output name (default: all)
 * @param spine the rows to train on: keys, event time, label, request-time features
 * @param split the time-based train / validation / test split
 * @param algorithm the classifier, its fixed parameters and the grid searched
 * @param seed the seed of every random choice of the training
 * @param categorical how string features are encoded
 * @param classWeight {@code none} or {@code balanced}
 * @param threshold a fixed decision threshold, or {@code max-f1} (chosen on the validation split)
 * @param slices columns of the training set to break the evaluation down by
 * @param gate what a new version must reach to be promoted
 * @param promotion {@code manual} (an approver promotes) or {@code auto} (a version that passes
 *     the gate goes to Production, recorded as approved by the policy)
 * @param limitations known limitations, printed on the model card
 * @param scoring how {@code mlops score} finds a day's rows, shadow and A/B variants; null when
 *     the model is not scored in batch
 * @param monitoring how {@code mlops monitor performance} finds the labels of scored rows and judges
 *     the realized metric; null when the model's performance is not monitored
 * @param fairness the protected attributes the evaluation audits and the gate's limits on their
 *     gaps; null when the model is not audited
 */
public record ModelSpec(
    String name,
    String description,
    String owner,
    ServiceRef featureService,
    List<String> features,
    SpineSpec spine,
    SplitSpec split,
    AlgorithmSpec algorithm,
    Long seed,
    CategoricalSpec categorical,
    String classWeight,
    String threshold,
    List<String> slices,
    GateSpec gate,
    String promotion,
    String limitations,
    ScoringSpec scoring,
    MonitoringSpec monitoring,
    FairnessSpec fairness) {

  public ModelSpec {
    require("name", name);
    if (!name.matches("[a-z][a-z0-9_]{0,62}")) {
      throw new ConfigValueException("name", "must be lower-case letters, digits or '_', starting with a letter, got \"" + name + "\"");
    }
    description = description == null ? "" : description.strip();
    owner = owner == null ? "" : owner.strip();
    require("feature-service", featureService);
    features = features == null ? List.of() : List.copyOf(features);
    require("spine", spine);
    require("split", split);
    require("algorithm", algorithm);
    seed = seed == null ? 42L : seed;
    categorical = categorical == null ? new CategoricalSpec(null) : categorical;
    classWeight = classWeight == null ? "none" : classWeight;
    if (!List.of("none", "balanced").contains(classWeight)) {
      throw new ConfigValueException("class-weight", "expected none or balanced, got \"" + classWeight + "\"");
    }
    threshold = threshold == null ? "0.5" : threshold.strip();
    if (!threshold.equals("max-f1")) {
      double t;
      try {
        t = Double.parseDouble(threshold);
      } catch (NumberFormatException e) {
        throw new ConfigValueException("threshold", "expected a number in (0, 1) or max-f1, got \"" + threshold + "\"");
      }
      if (!(t > 0 && t < 1)) {
        throw new ConfigValueException("threshold", "expected a number in (0, 1) or max-f1, got " + threshold);
      }
    }
    slices = slices == null ? List.of() : List.copyOf(slices);
    gate = gate == null ? new GateSpec(null, null, null, null, null) : gate;
    promotion = promotion == null ? "manual" : promotion;
    if (!List.of("manual", "auto").contains(promotion)) {
      throw new ConfigValueException("promotion", "expected manual or auto, got \"" + promotion + "\"");
    }
    limitations = limitations == null ? "" : limitations.strip();
    ProtectedInputs.check(fairness, features, spine);
    if (scoring != null && scoring.explainTop() > 0 && !algorithm.isTreeEnsemble()) {
      throw new ConfigValueException("scoring.explain", "TreeSHAP explains tree ensembles (gbt, random_forest) and"
          + " algorithm.type is " + algorithm.type() + "; set scoring.explain: none, or train a tree ensemble");
    }
  }

  /**
   * The metric {@code mlops monitor performance} judges: {@code monitoring.metric}, else the gate's
   * champion metric, else the selection metric.
   */
  public String monitoredMetric() {
    if (monitoring != null && monitoring.metric() != null) {
      return monitoring.metric();
    }
    return gate.championMetric() != null ? gate.championMetric() : algorithm.selectionMetric();
  }

  /** Whether versions that pass the gate are promoted to Production without an approver. */
  public boolean autoPromote() {
    return promotion.equals("auto");
  }

  /** The fixed threshold, or empty when it is chosen on the validation split ({@code max-f1}). */
  public java.util.OptionalDouble fixedThreshold() {
    return threshold.equals("max-f1") ? java.util.OptionalDouble.empty()
        : java.util.OptionalDouble.of(Double.parseDouble(threshold));
  }

  /**
   * How {@code mlops score} scores a day.
   *
   * @param query the day's rows to score: Spark SQL in which {@code {date}} stands for the day
   *     ({@code WHERE date = DATE'{date}'}); it must give the training spine's keys, event time,
   *     join keys and request features (the label is not needed)
   * @param shadow whether the Staging version, when there is one, scores the same rows beside
   *     Production (rows with role {@code shadow}, never served)
   * @param ab A/B or canary variants, or null for Production alone
   * @param explain {@code top-<k>} to write with each served row its {@code k} largest TreeSHAP
   *     contributions (tree ensembles only), or {@code none} (the default)
   */
  public record ScoringSpec(String query, Boolean shadow, AbSpec ab, String explain) {
    public ScoringSpec {
      require("query", query);
      if (!query.contains("{date}")) {
        throw new ConfigValueException("query", "must contain {date}, where the day to score goes (WHERE date = DATE'{date}')");
      }
      shadow = shadow != null && shadow;
      explain = explain == null ? "none" : explain.strip();
      ExplainSetting.topOf(explain);
    }

    /** How many contributions to write per served row ({@code explain: top-<k>}); 0 for none. */
    public int explainTop() {
      return ExplainSetting.topOf(explain);
    }
  }

  /**
   * How the realized performance of the scored rows is monitored once their labels arrive. See
   * {@code docs/TRAINING.md}, section "Performance monitoring".
   *
   * @param labels where the labels come from and when each arrived; null when not given (then
   *     {@code mlops monitor performance} refuses the model, naming this key)
   * @param labelDelay how long after a day ends its labels are complete ({@code 20d}); required
   *     with {@code labels}
   * @param metric the metric judged; null for the default (see {@link ModelSpec#monitoredMetric()})
   * @param maxDrop how far below the version's test figure the matured metric may fall before the
   *     day is DEGRADED (for {@code log_loss}: how far above); default 0.1
   * @param rollback when to roll the Production version back on matured degradation; null for
   *     alerts only
   */
  public record MonitoringSpec(LabelsSpec labels, String labelDelay, String metric, Double maxDrop,
      RollbackSpec rollback) {
    /** The default of {@code max-drop}. */
    public static final double MAX_DROP_DEFAULT = 0.1;

    public MonitoringSpec {
      if (labelDelay != null && Durations.parse(labelDelay).isEmpty()) {
        throw new ConfigValueException("label-delay", "expected a positive duration such as 20d, 36h or 2w, got \""
            + labelDelay + "\"");
      }
      if (labels != null && labelDelay == null) {
        throw new ConfigValueException("label-delay", "is required with monitoring.labels: how long after a day its labels"
            + " are complete, for example 20d");
      }
      if (metric != null && !AlgorithmSpec.METRICS.contains(metric)) {
        throw new ConfigValueException("metric", "unknown metric \"" + metric + "\"; one of "
            + String.join(", ", AlgorithmSpec.METRICS));
      }
      maxDrop = maxDrop == null ? MAX_DROP_DEFAULT : maxDrop;
      if (!(maxDrop >= 0) || maxDrop.isInfinite()) {
        throw new ConfigValueException("max-drop", "expected a number at least 0, got " + maxDrop);
      }
    }

    /** {@code label-delay} as a duration; fails when it is not given. */
    public java.time.Duration delay() {
      return Durations.parse(require("label-delay", labelDelay)).orElseThrow();
    }
  }

  /**
   * Where the labels of scored rows come from: a query or a table giving, per row key, the label
   * and when it became known.
   *
   * @param query a Spark SQL query over platform tables (one of query and table)
   * @param table a platform table (one of query and table)
   * @param keys the columns joined with the predictions' columns of the same names
   * @param label the 0/1 (or boolean) label column
   * @param arrivedAt the timestamp at which each label became known; a label counts only from then
   * @param unlabelled what a row without a label is once its day matured: {@code negative} (the
   *     labels are positives only, as fraud reports) or {@code unknown} (the row is left out);
   *     default {@code unknown}
   */
  public record LabelsSpec(String query, String table, List<String> keys, String label, String arrivedAt,
      String unlabelled) {
    /** The values of {@code unlabelled}. */
    public static final List<String> UNLABELLED = List.of("negative", "unknown");

    public LabelsSpec {
      if ((query == null) == (table == null)) {
        throw new ConfigValueException("query", "give exactly one of monitoring.labels.query and monitoring.labels.table");
      }
      require("keys", keys);
      if (keys.isEmpty()) {
        throw new ConfigValueException("keys", "needs at least one column");
      }
      keys = List.copyOf(keys);
      require("label", label);
      require("arrived-at", arrivedAt);
      unlabelled = unlabelled == null ? "unknown" : unlabelled.strip();
      if (!UNLABELLED.contains(unlabelled)) {
        throw new ConfigValueException("unlabelled", "expected negative or unknown, got \"" + unlabelled + "\"");
      }
    }

    /** Whether a row without a label counts as negative once its day matured. */
    public boolean unlabelledNegative() {
      return unlabelled.equals("negative");
    }
  }

  /**
   * A deterministic split of entities between Production and variants: an entity goes to a
   * variant by a hash of its key and the salt, so it keeps its variant across days for as long as
   * the salt and the shares stay. A canary is a variant with a small share, ramped by editing it.
   *
   * @param key the spine column that identifies the entity ({@code customer_id})
   * @param salt mixed into the hash; a new salt reshuffles everyone
   * @param variants the variants, each with its model version reference and share of entities
   */
  public record AbSpec(String key, String salt, List<VariantSpec> variants) {
    public AbSpec {
      require("key", key);
      require("salt", salt);
      require("variants", variants);
      variants = List.copyOf(variants);
      double total = variants.stream().mapToDouble(VariantSpec::share).sum();
      if (total >= 1) {
        throw new ConfigValueException("variants", "the shares add up to " + total + "; they must leave Production a share (< 1)");
      }
      if (variants.stream().map(VariantSpec::name).distinct().count() != variants.size()) {
        throw new ConfigValueException("variants", "two variants have the same name");
      }
      CanaryRampSpec.checkPlacement(variants);
    }
  }

  /**
   * One variant.
   *
   * @param name its name (rows get role {@code variant:<name>})
   * @param model the version it serves: {@code @challenger}, {@code Staging}, {@code 3}, or a full
   *     {@code models:/...} reference
   * @param share the share of entities, in (0, 1); with a ramp, its first step (the default)
   * @param ramp the shares a canary moves through, one step per matured day whose guard holds
   *     ({@code [0.05, 0.2, 0.5, 1.0]}); null for a fixed share
   * @param guard what a step must hold to move up: the variant's metric against Production's on
   *     the same day's labelled rows; required with a ramp
   * @param minLabelledRows the labelled variant rows a day needs to be judged (default 100)
   */
  public record VariantSpec(String name, String model, Double share, List<Double> ramp, GuardSpec guard,
      Integer minLabelledRows) {
    public VariantSpec {
      require("name", name);
      if (!name.matches("[a-z][a-z0-9_-]{0,39}")) {
        throw new ConfigValueException("name", "must be lower-case letters, digits, '-' or '_', got \"" + name + "\"");
      }
      require("model", model);
      ramp = ramp == null ? null : List.copyOf(ramp);
      share = CanaryRampSpec.firstShare(share, ramp);
      require("share", share);
      if (!(share > 0 && share < 1)) {
        throw new ConfigValueException("share", "must be in (0, 1), got " + share);
      }
      if (ramp != null && guard == null) {
        throw new ConfigValueException("guard", "is required with a ramp: the metric a step must hold, for example"
            + " {metric: roc_auc, max-drop: 0.02}");
      }
      minLabelledRows = minLabelledRows == null ? 100 : minLabelledRows;
      if (minLabelledRows < 1) {
        throw new ConfigValueException("min-labelled-rows", "expected a number of rows at least 1, got " + minLabelledRows);
      }
    }

    /** Whether the variant ramps. */
    public boolean ramped() {
      return ramp != null;
    }
  }

  /**
   * A canary's guard: the variant's metric on a matured day's labelled rows must be at least
   * Production's on the same day less {@code maxDrop} (for {@code log_loss}: at most Production's
   * plus it).
   *
   * @param metric a metric that does not depend on the threshold: roc_auc, pr_auc or log_loss
   * @param maxDrop how much worse than Production it may be (default 0.02)
   */
  public record GuardSpec(String metric, Double maxDrop) {
    /** The metrics a guard can use: each version has its own threshold, so none that depends on it. */
    public static final List<String> METRICS = List.of("roc_auc", "pr_auc", "log_loss");

    public GuardSpec {
      require("metric", metric);
      if (!METRICS.contains(metric)) {
        throw new ConfigValueException("metric", "expected one of " + String.join(", ", METRICS)
            + " (a guard compares two versions with thresholds of their own), got \"" + metric + "\"");
      }
      maxDrop = maxDrop == null ? 0.02 : maxDrop;
      if (!(maxDrop >= 0) || maxDrop.isInfinite()) {
        throw new ConfigValueException("max-drop", "expected a number at least 0, got " + maxDrop);
      }
    }
  }

  /**
   * A feature service at a version.
   *
   * @param name the service
   * @param version its version; null for the highest registered (recorded as resolved)
   */
  public record ServiceRef(String name, Integer version) {
    public ServiceRef {
      require("name", name);
    }
  }

  /**
   * Where the rows to train on come from: a SQL query or a table, with their key columns, event
   * time and label.
   *
   * @param query a Spark SQL query over platform tables (one of query and table)
   * @param table a platform table (one of query and table)
   * @param keys the columns that identify a row (the entity keys of the service's views come
   *     from the spine by name and need not be listed)
   * @param eventTime the time each row's features are read at
   * @param label the 0/1 label column
   * @param requestFeatures spine columns used as features as they are (known at request time)
   */
  public record SpineSpec(String query, String table, List<String> keys, String eventTime, String label,
      List<String> requestFeatures) {
    public SpineSpec {
      if ((query == null) == (table == null)) {
        throw new ConfigValueException("query", "give exactly one of spine.query and spine.table");
      }
      require("keys", keys);
      if (keys.isEmpty()) {
        throw new ConfigValueException("keys", "needs at least one column");
      }
      keys = List.copyOf(keys);
      require("event-time", eventTime);
      require("label", label);
      requestFeatures = requestFeatures == null ? List.of() : List.copyOf(requestFeatures);
    }
  }

  /**
   * The split by event time: rows before {@code trainEnd} train, rows before
   * {@code validationEnd} validate, the rest test. Either both dates, or {@code fractions} of the
   * spine's time range (resolved to dates when training and recorded).
   *
   * @param trainEnd first instant of the validation split (a date, or an ISO instant)
   * @param validationEnd first instant of the test split
   * @param fractions shares of the time range for train, validation and test, summing to 1
   */
  public record SplitSpec(String trainEnd, String validationEnd, Map<String, Double> fractions) {
    public SplitSpec {
      boolean dates = trainEnd != null || validationEnd != null;
      if (dates == (fractions != null)) {
        throw new ConfigValueException("train-end", "give either train-end and validation-end, or fractions");
      }
      if (dates) {
        require("train-end", trainEnd);
        require("validation-end", validationEnd);
      } else {
        fractions = Map.copyOf(fractions);
        if (!fractions.keySet().equals(java.util.Set.of("train", "validation", "test"))) {
          throw new ConfigValueException("fractions", "expected the keys train, validation and test, got " + fractions.keySet());
        }
        double sum = fractions.values().stream().mapToDouble(Double::doubleValue).sum();
        if (fractions.values().stream().anyMatch(f -> !(f > 0)) || Math.abs(sum - 1) > 1e-9) {
          throw new ConfigValueException("fractions", "expected three positive shares summing to 1, got " + fractions);
        }
      }
    }
  }

  /**
   * The classifier.
   *
   * @param type {@code logistic_regression}, {@code random_forest} or {@code gbt}
   * @param params MLlib parameters fixed for every candidate ({@code maxIter: 20})
   * @param grid MLlib parameters and the values to search ({@code maxDepth: [3, 5]})
   * @param selectionMetric the validation metric that picks the candidate ({@code pr_auc} by
   *     default; any of {@code roc_auc, pr_auc, log_loss, f1, precision, recall})
   */
  public record AlgorithmSpec(String type, Map<String, Object> params, Map<String, List<Object>> grid,
      String selectionMetric) {
    /** The algorithms. */
    public static final List<String> TYPES = List.of("logistic_regression", "random_forest", "gbt");
    /** The metrics a selection or a gate can use. */
    public static final List<String> METRICS = List.of("roc_auc", "pr_auc", "log_loss", "f1", "precision", "recall", "accuracy");

    public AlgorithmSpec {
      require("type", type);
      if (!TYPES.contains(type)) {
        throw new ConfigValueException("type", "unknown algorithm \"" + type + "\"; one of " + String.join(", ", TYPES));
      }
      params = params == null ? Map.of() : Map.copyOf(params);
      grid = grid == null ? Map.of() : Map.copyOf(grid);
      for (Map.Entry<String, List<Object>> g : grid.entrySet()) {
        if (g.getValue() == null || g.getValue().isEmpty()) {
          throw new ConfigValueException("grid." + g.getKey(), "needs at least one value");
        }
        if (params.containsKey(g.getKey())) {
          throw new ConfigValueException("grid." + g.getKey(), "is also fixed in algorithm.params; keep one");
        }
      }
      selectionMetric = selectionMetric == null ? "pr_auc" : selectionMetric;
      if (!METRICS.contains(selectionMetric)) {
        throw new ConfigValueException("selection-metric", "unknown metric \"" + selectionMetric + "\"; one of "
            + String.join(", ", METRICS));
      }
    }

    /** Whether the algorithm is a tree ensemble, which TreeSHAP explains. */
    public boolean isTreeEnsemble() {
      return !type.equals("logistic_regression");
    }
  }

  /**
   * How string features are encoded: each is indexed by frequency (ties alphabetically), and a
   * value not seen in training gets an index of its own.
   *
   * @param encoding {@code index} (the category index as a categorical feature, for trees) or
   *     {@code one-hot}; the default is one-hot for logistic regression and index otherwise
   */
  public record CategoricalSpec(String encoding) {
    public CategoricalSpec {
      if (encoding != null && !List.of("index", "one-hot").contains(encoding)) {
        throw new ConfigValueException("encoding", "expected index or one-hot, got \"" + encoding + "\"");
      }
    }

    /** The encoding for {@code algorithm}. */
    public String encodingFor(String algorithm) {
      return encoding != null ? encoding : algorithm.equals("logistic_regression") ? "one-hot" : "index";
    }
  }

  /**
   * The gate a new version must pass.
   *
   * @param min lowest allowed value per metric on the test split (for {@code log_loss}: highest)
   * @param championMetric the metric compared with the Production version (default: the
   *     selection metric)
   * @param championMargin how much better than Production the new version must be on it
   *     (default 0: at least as good)
   * @param maxSliceLoss how much worse than Production the new version may be on any slice
   *     value (default 0.05)
   * @param minSliceRows slice values with fewer test rows are reported but not gated (default 50)
   */
  public record GateSpec(Map<String, Double> min, String championMetric, Double championMargin, Double maxSliceLoss,
      Integer minSliceRows) {
    public GateSpec {
      min = min == null ? Map.of() : Map.copyOf(min);
      for (String m : min.keySet()) {
        if (!AlgorithmSpec.METRICS.contains(m)) {
          throw new ConfigValueException("min." + m, "unknown metric; one of " + String.join(", ", AlgorithmSpec.METRICS));
        }
      }
      if (championMetric != null && !AlgorithmSpec.METRICS.contains(championMetric)) {
        throw new ConfigValueException("champion-metric", "unknown metric \"" + championMetric + "\"; one of "
            + String.join(", ", AlgorithmSpec.METRICS));
      }
      championMargin = championMargin == null ? 0.0 : championMargin;
      maxSliceLoss = maxSliceLoss == null ? 0.05 : maxSliceLoss;
      minSliceRows = minSliceRows == null ? 50 : minSliceRows;
    }
  }
}
