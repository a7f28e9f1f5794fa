package dev.mlops.core.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;

/** One cluster for the class's single test: forming, serving every slot, and a master replaced. */
class LocalRedisClusterTest {

  @Test
  void threeMastersServeEverySlotAndALostMasterIsReplacedByAnEmptyOne() {
    try (LocalRedisCluster cluster = LocalRedisCluster.start(3)) {
      Set<HostAndPort> seeds = cluster.nodes().stream().map(HostAndPort::from).collect(Collectors.toSet());
      try (JedisCluster client = new JedisCluster(seeds)) {
        for (int i = 0; i < 300; i++) {
          client.set("k" + i, "v" + i);
        }
        assertThat(client.get("k299")).isEqualTo("v299");
      }
      long[] sizes = new long[3];
      for (int i = 0; i < 3; i++) {
        try (Jedis node = new Jedis(cluster.master(i).host(), cluster.master(i).port())) {
          sizes[i] = node.dbSize();
          assertThat(node.clusterInfo()).as("node " + i).contains("cluster_state:ok", "cluster_slots_assigned:16384");
        }
      }
      assertThat(java.util.Arrays.stream(sizes).boxed().toList()).as("keys spread over the three masters")
          .allMatch(n -> n > 50);
      assertThat(sizes[0] + sizes[1] + sizes[2]).isEqualTo(300);

      int oldPort = cluster.master(1).port();
      cluster.kill(1);
      assertThat(cluster.master(1).running()).as("killed").isFalse();
      cluster.replace(1);
      assertThat(cluster.master(1).port()).as("the replacement listens on a new port").isNotEqualTo(oldPort);
      Set<HostAndPort> now = new HashSet<>(cluster.nodes().stream().map(HostAndPort::from).toList());
      try (JedisCluster client = new JedisCluster(now)) {
        long kept = 0;
        for (int i = 0; i < 300; i++) {
          kept += client.get("k" + i) == null ? 0 : 1;
        }
        assertThat(kept).as("the survivors' keys are kept, the lost master's are gone").isEqualTo(sizes[0] + sizes[2]);
        client.set("k1000", "after");
        assertThat(client.get("k1000")).isEqualTo("after");
      }
    }
  }
}
