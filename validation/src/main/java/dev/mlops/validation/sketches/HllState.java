package dev.mlops.validation.sketches;

import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.Union;

/**
 * The approximate distinct count of a column: an HLL sketch, lgK = {@value #LG_K} (relative
 * standard error about 1.6%). Serialized as Spark's {@code hll_sketch_agg} writes it, so either
 * side can read the other's sketches.
 */
@com.esotericsoftware.kryo.DefaultSerializer(SketchKryoSerializer.class)
public final class HllState implements SketchState<HllState> {
  private static final long serialVersionUID = 1L;
  public static final int LG_K = 12;

  private transient HllSketch sketch;

  public HllState() {
    this.sketch = new HllSketch(LG_K);
  }

  private HllState(HllSketch sketch) {
    this.sketch = sketch;
  }

  /** A state from {@link #toBytes()}. */
  public static HllState fromBytes(byte[] bytes) {
    return new HllState(HllSketch.heapify(bytes));
  }

  @Override
  public String kind() {
    return "hll";
  }

  /**
   * Integers are hashed as 64-bit values, strings and binary by their bytes, anything else by
   * its text: as Spark's {@code hll_sketch_agg} does, so that their sketches merge with ours.
   */
  @Override
  public void update(Object value) {
    if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      update(((Number) value).longValue());
    } else if (value instanceof byte[] b) {
      update(b);
    } else if (value != null) {
      sketch.update(value.toString());
    }
  }

  /** Adds an integer (of any width, hashed as 64 bits). */
  public void update(long value) {
    sketch.update(value);
  }

  /** Adds a binary value, or a string as its UTF-8 bytes (hashed as the string itself would be). */
  public void update(byte[] value) {
    sketch.update(value);
  }

  @Override
  public HllState merge(HllState other) {
    Union union = new Union(LG_K);
    union.update(sketch);
    union.update(other.sketch);
    sketch = union.getResult();
    return this;
  }

  @Override
  public byte[] toBytes() {
    return sketch.toCompactByteArray();
  }

  /** Not tracked by HLL: -1. */
  @Override
  public java.util.OptionalLong count() {
    return java.util.OptionalLong.empty();
  }

  /** The estimated number of distinct values. */
  public double estimate() {
    return sketch.getEstimate();
  }

  /** Serialized as its sketch's bytes (see {@link SerializedSketch}). */
  private Object writeReplace() {
    return new SerializedSketch(kind(), toBytes());
  }
}
