package dev.mlops.training.explain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.feature.OneHotEncoderModel;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.ml.feature.VectorAssembler;

/**
 * The slots of a fitted pipeline's feature vector, named and mapped back to the model's input
 * columns (the source features). The pipelines of {@code dev.mlops.training.fit.PipelineFactory}
 * assemble, in order: a numeric feature as one slot (named as the feature), a string feature
 * indexed as one slot (the category index, named as the feature), or a string feature one-hot
 * encoded as one slot per category seen in training ({@code channel=web}) plus one for a value
 * unseen in training or missing ({@code channel=(unseen or missing)}).
 *
 * <p>Immutable and thread-safe. Get one with {@link #of(PipelineModel)}.
 */
public final class FeatureSlots implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  /** The name of a one-hot slot of a value not seen in training, or of a missing value. */
  public static final String UNSEEN = "(unseen or missing)";

  private final List<String> features;
  private final String[] names;
  private final int[] owner;

  private FeatureSlots(List<String> features, List<String> names, List<Integer> owner) {
    this.features = List.copyOf(features);
    this.names = names.toArray(String[]::new);
    this.owner = owner.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The slots of {@code model}'s assembled vector; fails when the pipeline has no vector assembler. */
  public static FeatureSlots of(PipelineModel model) {
    VectorAssembler assembler = null;
    Map<String, String[]> labels = new LinkedHashMap<>();
    Map<String, Integer> oneHotSizes = new LinkedHashMap<>();
    for (Transformer t : model.stages()) {
      if (t instanceof VectorAssembler a) {
        assembler = a;
      } else if (t instanceof StringIndexerModel s) {
        for (int i = 0; i < s.getOutputCols().length; i++) {
          labels.put(s.getOutputCols()[i], s.labelsArray()[i]);
        }
      } else if (t instanceof OneHotEncoderModel oh) {
        for (int i = 0; i < oh.getOutputCols().length; i++) {
          labels.put(oh.getOutputCols()[i], labels.get(oh.getInputCols()[i]));
          oneHotSizes.put(oh.getOutputCols()[i], oneHotSize(oh, i));
        }
      }
    }
    if (assembler == null) {
      throw new IllegalArgumentException("the pipeline has no VectorAssembler stage; it was not made by PipelineFactory");
    }
    List<String> features = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<Integer> owner = new ArrayList<>();
    for (String in : assembler.getInputCols()) {
      String feature = sourceFeature(in);
      features.add(feature);
      Integer size = oneHotSizes.get(in);
      if (size == null) {
        names.add(feature);
        owner.add(features.size() - 1);
        continue;
      }
      String[] seen = labels.get(in);
      for (int j = 0; j < size; j++) {
        names.add(feature + "=" + (seen != null && j < seen.length ? seen[j] : UNSEEN));
        owner.add(features.size() - 1);
      }
    }
    return new FeatureSlots(features, names, owner);
  }

  /** The width of a one-hot encoder's output {@code i}, as MLlib's {@code OneHotEncoderModel} configures it. */
  private static int oneHotSize(OneHotEncoderModel oh, int i) {
    int size = oh.categorySizes()[i];
    boolean keep = oh.getHandleInvalid().equals("keep");
    if (oh.getDropLast() && !keep) {
      return size - 1;
    }
    return !oh.getDropLast() && keep ? size + 1 : size;
  }

  /** The model input column an assembled column comes from: {@code __num_amount} is {@code amount}. */
  private static String sourceFeature(String assembled) {
    for (String prefix : List.of("__num_", "__idx_", "__oh_")) {
      if (assembled.startsWith(prefix)) {
        return assembled.substring(prefix.length());
      }
    }
    return assembled;
  }

  /** The model's input columns, in the vector's order. */
  public List<String> features() {
    return features;
  }

  /** The number of slots. */
  public int size() {
    return names.length;
  }

  /** The name of slot {@code i}: the feature's, or {@code feature=category} for a one-hot slot. */
  public String slotName(int i) {
    return names[i];
  }

  /** The index in {@link #features} of the feature slot {@code i} belongs to. */
  public int featureOf(int i) {
    return owner[i];
  }

  /** Whether the feature at {@code featureIndex} has more than one slot (it is one-hot encoded). */
  public boolean encoded(int featureIndex) {
    int n = 0;
    for (int o : owner) {
      n += o == featureIndex ? 1 : 0;
    }
    return n > 1 || !names[firstSlot(featureIndex)].equals(features.get(featureIndex));
  }

  private int firstSlot(int featureIndex) {
    for (int i = 0; i < owner.length; i++) {
      if (owner[i] == featureIndex) {
        return i;
      }
    }
    throw new IllegalArgumentException("no slot of feature " + featureIndex);
  }

  /** Per-slot values summed per feature: the {@link #features}' totals, in order. */
  public double[] perFeature(double[] slots) {
    double[] out = new double[features.size()];
    for (int i = 0; i < slots.length; i++) {
      out[owner[i]] += slots[i];
    }
    return out;
  }
}
