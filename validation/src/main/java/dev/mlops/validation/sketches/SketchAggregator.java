package dev.mlops.validation.sketches;

import java.util.function.Supplier;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.expressions.Aggregator;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;

/**
 * A Spark {@link Aggregator} that folds a column into a {@link SketchState}: the buffer is the
 * state object itself (Spark keeps it deserialized while it aggregates a partition and serializes
 * it, through the state's own format, only to merge across partitions); the output is the
 * sketch's bytes. Used through {@code functions.udaf} so that it runs in the same aggregation as
 * the exact metrics.
 *
 * @param <I> the input (text, for top values)
 * @param <S> the state
 */
public final class SketchAggregator<I, S extends SketchState<S>> extends Aggregator<I, S, byte[]> {
  private static final long serialVersionUID = 1L;

  private final Class<S> type;
  private final SerializableSupplier<S> empty;

  private final transient Encoder<I> input;

  private SketchAggregator(Class<S> type, SerializableSupplier<S> empty, Encoder<I> input) {
    this.type = type;
    this.empty = empty;
    this.input = input;
  }

  /** The aggregate function of a column; give it the column cast to {@link #inputType()}. */
  public UserDefinedFunction function() {
    return functions.udaf(this, input);
  }

  /** The SQL type the column must be cast to. */
  public String inputType() {
    return input.schema().fields()[0].dataType().sql();
  }

  /** Top values of any column. */
  public static SketchAggregator<String, FrequentItemsState> frequentItems() {
    return new SketchAggregator<>(FrequentItemsState.class, FrequentItemsState::new, Encoders.STRING());
  }

  @Override
  public S zero() {
    return empty.get();
  }

  @Override
  public S reduce(S state, I value) {
    state.update(value);
    return state;
  }

  @Override
  public S merge(S a, S b) {
    return a.merge(b);
  }

  @Override
  public byte[] finish(S state) {
    return state.toBytes();
  }

  @Override
  public Encoder<S> bufferEncoder() {
    return Encoders.javaSerialization(type);
  }

  @Override
  public Encoder<byte[]> outputEncoder() {
    return Encoders.BINARY();
  }

  /** A supplier Spark can ship to the executors. */
  interface SerializableSupplier<T> extends Supplier<T>, java.io.Serializable {}
}
