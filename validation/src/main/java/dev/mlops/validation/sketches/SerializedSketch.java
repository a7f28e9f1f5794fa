package dev.mlops.validation.sketches;

import java.io.Serializable;

/**
 * The Java-serialized form of every {@link SketchState}: its kind and the sketch's own bytes.
 * Spark ships states between executors this way (a typed {@code Aggregator}'s buffer); reading one
 * back gives the state again.
 *
 * @param kind {@link SketchState#kind()}
 * @param bytes {@link SketchState#toBytes()}
 */
record SerializedSketch(String kind, byte[] bytes) implements Serializable {
  private Object readResolve() {
    return SketchState.fromBytes(kind, bytes);
  }
}
