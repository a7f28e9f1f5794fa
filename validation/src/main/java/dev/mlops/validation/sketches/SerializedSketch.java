package dev.mlops.validation.sketches;

import java.io.Serializable;

/**
 * The Java-serialized form of every {@link SketchState}: its kind and the sketch's own bytes.
 * Spark ships states this way (from the executors that fold a partition to the driver); reading one
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
