package dev.mlops.features.pit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

class LongIntMapTest {
  /** The join's map of long keys against a HashMap, on keys that collide in its table and grow it. */
  @org.junit.jupiter.api.Test
  void theLongKeyMapAgreesWithAHashMap() {
    Random random = new Random(5);
    ProbeJoin.LongIntMap map = new ProbeJoin.LongIntMap();
    java.util.Map<Long, Integer> reference = new java.util.HashMap<>();
    for (int i = 0; i < 20_000; i++) {
      long key = switch (random.nextInt(4)) {
        case 0 -> random.nextLong();
        case 1 -> random.nextInt(50) - 25L; // 0 and negatives included
        case 2 -> (long) random.nextInt(1000) << 32;
        default -> Long.MIN_VALUE + random.nextInt(3);
      };
      int value = random.nextInt(Integer.MAX_VALUE);
      map.put(key, value);
      reference.put(key, value);
    }
    for (java.util.Map.Entry<Long, Integer> e : reference.entrySet()) {
      assertThat(map.get(e.getKey())).as("key " + e.getKey()).isEqualTo(e.getValue());
    }
    for (int i = 0; i < 20_000; i++) {
      long key = random.nextLong();
      assertThat(map.get(key)).isEqualTo(reference.getOrDefault(key, -1));
    }
  }}
