package dev.mlops.validation.sketches;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * Kryo's form of every {@link SketchState}: its kind and the sketch's own bytes, as {@link
 * SerializedSketch} is Java's. Spark serializes task results with {@code spark.serializer}, which
 * clusters often set to Kryo; Kryo ignores {@code writeReplace} and skips the transient sketch, so
 * without this a state folded on an executor reached the driver empty (a validation of a standalone
 * cluster's data found no quantile and no distinct values). Stateless.
 */
public final class SketchKryoSerializer extends Serializer<SketchState<?>> {
  @Override
  public void write(Kryo kryo, Output output, SketchState<?> state) {
    byte[] bytes = state.toBytes();
    output.writeString(state.kind());
    output.writeInt(bytes.length, true);
    output.writeBytes(bytes);
  }

  @Override
  public SketchState<?> read(Kryo kryo, Input input, Class<SketchState<?>> type) {
    String kind = input.readString();
    return SketchState.fromBytes(kind, input.readBytes(input.readInt(true)));
  }
}
