package dev.mlops.validation.sketches;

import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

/**
 * Quantiles and the distribution of a numeric column: a KLL doubles sketch, k = {@value #K}
 * (normalized rank error about 1.33%, one-sided, at 99% confidence). Values are read as doubles.
 */
@com.esotericsoftware.kryo.DefaultSerializer(SketchKryoSerializer.class)
public final class KllState implements SketchState<KllState> {
  /** {@link #kind()}: how validation's profiles name this sketch. */
  public static final String KIND = "kll";
  private static final long serialVersionUID = 1L;
  public static final int K = 200;

  private transient KllDoublesSketch sketch;

  public KllState() {
    this.sketch = KllDoublesSketch.newHeapInstance(K);
  }

  private KllState(KllDoublesSketch sketch) {
    this.sketch = sketch;
  }

  /** A state from {@link #toBytes()}. */
  public static KllState fromBytes(byte[] bytes) {
    return new KllState(KllDoublesSketch.heapify(Memory.wrap(bytes)));
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public void update(Object value) {
    if (value != null) {
      update(((Number) value).doubleValue());
    }
  }

  /** Adds one value; NaN is ignored. */
  public void update(double value) {
    if (!Double.isNaN(value)) {
      sketch.update(value);
    }
  }

  /** Adds the first {@code count} of {@code values} at once; NaN is ignored. */
  public void update(double[] values, int count) {
    sketch.update(values, 0, count);
  }

  @Override
  public KllState merge(KllState other) {
    if (!other.sketch.isEmpty()) {
      sketch.merge(other.sketch);
    }
    return this;
  }

  @Override
  public byte[] toBytes() {
    return sketch.toByteArray();
  }

  @Override
  public java.util.OptionalLong count() {
    return java.util.OptionalLong.of(sketch.getN());
  }

  /** The value at normalized rank {@code q} (0..1), inclusive search; NaN when empty. */
  public double quantile(double q) {
    return sketch.isEmpty() ? Double.NaN : sketch.getQuantile(q, QuantileSearchCriteria.INCLUSIVE);
  }

  /** The normalized rank of {@code value} (share of values at most {@code value}); NaN when empty. */
  public double rank(double value) {
    return sketch.isEmpty() ? Double.NaN : sketch.getRank(value, QuantileSearchCriteria.INCLUSIVE);
  }

  /** The sketch itself, read-only by convention. */
  public KllDoublesSketch sketch() {
    return sketch;
  }

  /** Serialized as its sketch's bytes (see {@link SerializedSketch}). */
  private Object writeReplace() {
    return new SerializedSketch(kind(), toBytes());
  }
}
