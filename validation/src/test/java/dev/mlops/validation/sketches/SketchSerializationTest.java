package dev.mlops.validation.sketches;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.JavaSerializer;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;

/**
 * Sketch states cross from executors to the driver whole with either of Spark's serializers (task
 * results use {@code spark.serializer}): the same sketch bytes and count arrive as were sent.
 */
class SketchSerializationTest {
  static List<SketchState<?>> filledStates() {
    KllState kll = new KllState();
    HllState hll = new HllState();
    FrequentItemsState items = new FrequentItemsState();
    for (int i = 0; i < 1000; i++) {
      kll.update(i * 1.5);
      hll.update((long) i);
      items.update("v" + (i % 7));
    }
    return List.of(kll, hll, items);
  }

  @Test
  void aStateSurvivesKryoAndJavaSerializationWithItsSketch() {
    SparkConf conf = new SparkConf(false);
    for (SerializerInstance serializer : List.of(new KryoSerializer(conf).newInstance(), new JavaSerializer(conf).newInstance())) {
      for (SketchState<?> state : filledStates()) {
        SketchState<?> back = serializer.deserialize(serializer.serialize(state, scala.reflect.ClassTag$.MODULE$.apply(
            SketchState.class)), scala.reflect.ClassTag$.MODULE$.apply(SketchState.class));
        String what = state.kind() + " through " + serializer.getClass().getSimpleName();
        assertThat(back).as(what).isInstanceOf(state.getClass());
        assertThat(java.util.Arrays.equals(back.toBytes(), state.toBytes()))
            .as(what + ": " + back.toBytes().length + " bytes of sketch arrived of " + state.toBytes().length).isTrue();
        assertThat(back.count()).as(what).isEqualTo(state.count());
      }
    }
  }
}
