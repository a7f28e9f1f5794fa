package dev.mlops.features.pit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How a shuffled pass of the point-in-time join is sized. No Spark needed. */
class AsOfJoinPassTest {
  private static final List<String> KEYS = List.of("k");

  @Test
  void aPassShufflesIntoOnePartitionPerIndexAndOutputsOnePerTask() {
    AsOfJoin.Pass pass = AsOfJoin.Pass.shuffled(KEYS, List.of(), 5_000_000, 8);
    assertThat(pass.shufflePartitions()).as("5M rows / 200k per index").isEqualTo(25);
    assertThat(pass.partitions()).as("5M rows / 2M per task is 3, below the minimum").isEqualTo(8);

    AsOfJoin.Pass large = AsOfJoin.Pass.shuffled(KEYS, List.of(), 50_000_001, 8);
    assertThat(large.shufflePartitions()).isEqualTo(251);
    assertThat(large.partitions()).isEqualTo(26);
  }

  @Test
  void aSmallPassKeepsTheMinimumForBoth() {
    AsOfJoin.Pass pass = AsOfJoin.Pass.shuffled(KEYS, List.of(), 1_000, 4);
    assertThat(pass.shufflePartitions()).isEqualTo(4);
    assertThat(pass.partitions()).isEqualTo(4);
    assertThat(AsOfJoin.Pass.shuffled(KEYS, List.of(), 0, 1).shufflePartitions()).isEqualTo(1);
  }

  @Test
  void aPassCannotOutputMorePartitionsThanItShufflesInto() {
    assertThatThrownBy(() -> new AsOfJoin.Pass(KEYS, List.of(), false, 8, 4)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shufflePartitions 4 < partitions 8");
    assertThat(new AsOfJoin.Pass(KEYS, List.of(), true, 0, 0).broadcast()).as("a broadcast pass shuffles nothing").isTrue();
    assertThat(new AsOfJoin.Pass(KEYS, List.of(), false, 6).shufflePartitions()).isEqualTo(6);
  }
}
