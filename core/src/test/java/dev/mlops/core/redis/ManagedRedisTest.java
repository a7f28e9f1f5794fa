package dev.mlops.core.redis;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.PlatformException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local Redis server is for local masters: on a cluster, the config must name the server. */
class ManagedRedisTest {
  @TempDir Path dir;

  @Test
  void onAClusterMasterWithoutRedisHostItFailsClearlyAndStartsNoServer() {
    assertThatThrownBy(() -> ManagedRedis.resolve(dev.mlops.testkit.SharedSpark.testConfig(dir), "spark://10.0.0.5:7077"))
        .isInstanceOf(PlatformException.class)
        .hasMessageContaining("redis.host is not set and Spark runs on the cluster spark://10.0.0.5:7077")
        .hasMessageContaining("set redis.host (and redis.port)");
    assertThat(dir.resolve("_redis")).doesNotExist();
  }
}
