package dev.mlops.validation.sketches;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.datasketches.common.ArrayOfStringsSerDe;
import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.memory.Memory;

/**
 * The top values of a categorical column: a frequent-items sketch of the values' text, map size
 * {@value #MAX_MAP_SIZE} (counts exact while fewer distinct values than 3/4 of it; beyond, each
 * estimate is within {@code 3.5 / mapSize} of the stream length).
 */
@com.esotericsoftware.kryo.DefaultSerializer(SketchKryoSerializer.class)
public final class FrequentItemsState implements SketchState<FrequentItemsState> {
  /** {@link #kind()}: how validation's profiles name this sketch. */
  public static final String KIND = "frequent_items";
  private static final long serialVersionUID = 1L;
  public static final int MAX_MAP_SIZE = 256;
  private static final ArrayOfStringsSerDe SERDE = new ArrayOfStringsSerDe();

  private transient ItemsSketch<String> sketch;

  public FrequentItemsState() {
    this.sketch = new ItemsSketch<>(MAX_MAP_SIZE);
  }

  private FrequentItemsState(ItemsSketch<String> sketch) {
    this.sketch = sketch;
  }

  /** A state from {@link #toBytes()}. */
  public static FrequentItemsState fromBytes(byte[] bytes) {
    return new FrequentItemsState(ItemsSketch.getInstance(Memory.wrap(bytes), SERDE));
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public void update(Object value) {
    if (value != null) {
      sketch.update(value.toString());
    }
  }

  /** Adds {@code count} occurrences of {@code value}, as {@code count} updates of it would. */
  public void update(String value, long count) {
    sketch.update(value, count);
  }

  @Override
  public FrequentItemsState merge(FrequentItemsState other) {
    sketch.merge(other.sketch);
    return this;
  }

  @Override
  public byte[] toBytes() {
    return sketch.toByteArray(SERDE);
  }

  @Override
  public java.util.OptionalLong count() {
    return java.util.OptionalLong.of(sketch.getStreamLength());
  }

  /** The sketch itself, read-only by convention. */
  public ItemsSketch<String> sketch() {
    return sketch;
  }

  /** The most frequent values with their estimated counts, most frequent first, at most {@code limit}. */
  public Map<String, Long> top(int limit) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (ItemsSketch.Row<String> r : sketch.getFrequentItems(ErrorType.NO_FALSE_NEGATIVES)) {
      if (out.size() == limit) {
        break;
      }
      out.put(r.getItem(), r.getEstimate());
    }
    return out;
  }

  /** Serialized as its sketch's bytes (see {@link SerializedSketch}). */
  private Object writeReplace() {
    return new SerializedSketch(kind(), toBytes());
  }
}
