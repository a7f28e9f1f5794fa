package dev.mlops.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  private static final Path REPO = Path.of(System.getProperty("mlops.repo.root", "..")).toAbsolutePath().normalize();

  @TempDir Path dir;

  private ConfigFile load(String yaml, Map<String, String> env) throws IOException {
    Path file = dir.resolve("conf/test.yaml");
    Files.createDirectories(file.getParent());
    Files.writeString(file, yaml);
    return new ConfigLoader(env::get).load(file, "conf/test.yaml");
  }

  @Test
  void theShippedLocalConfigLoadsWithItsDefaults() {
    ConfigFile file = new ConfigLoader(Map.<String, String>of()::get).load(REPO.resolve("conf/local.yaml"), "conf/local.yaml");
    PlatformConfig c = file.config();
    assertThat(c.project()).isEqualTo("demo");
    assertThat(c.warehouse().root()).as("relative to the config's folder").isEqualTo(REPO.resolve("warehouse").toString());
    assertThat(c.catalog().embedded()).isTrue();
    assertThat(c.redis().managed()).as("no host: the platform starts its own Redis").isTrue();
    assertThat(c.airflow().configured()).isFalse();
    assertThat(file.sha256()).hasSize(64);
  }

  @Test
  void theShippedProdConfigTakesItsSecretsFromTheEnvironment() {
    Map<String, String> env = Map.of("REDIS_PASSWORD", "r3dis-pw", "AIRFLOW_PASSWORD", "airfl0w-pw");
    PlatformConfig c = new ConfigLoader(env::get).load(REPO.resolve("conf/prod.yaml"), "conf/prod.yaml").config();
    assertThat(c.warehouse().uri()).isEqualTo("s3a://ml-platform-prod/warehouse");
    assertThat(c.catalog().type()).isEqualTo("hive");
    assertThat(c.catalog().metastoreUri()).isEqualTo("thrift://hive-metastore.data.svc:9083");
    assertThat(c.redis().password().reveal()).isEqualTo("r3dis-pw");
    assertThat(c.redis().tls()).isTrue();
    assertThat(c.airflow().password().reveal()).isEqualTo("airfl0w-pw");
    assertThat(c.toString()).as("a config printed never shows its secrets").doesNotContain("r3dis-pw", "airfl0w-pw");
  }

  @Test
  void aClusterIsReachedThroughItsSeedNodesWithTheSecretFromTheEnvironment() throws IOException {
    PlatformConfig c = load("project: p\nwarehouse: {root: w}\nredis:\n  mode: cluster\n  nodes: [redis-0:7000, "
        + "10.0.0.2:7001]\n  user: mlops\n  password: ${REDIS_PASSWORD}\n  tls: true\n", Map.of("REDIS_PASSWORD", "c1uster"))
        .config();
    assertThat(c.redis().cluster()).isTrue();
    assertThat(c.redis().managed()).as("a cluster is never started by the platform").isFalse();
    assertThat(c.redis().nodes()).containsExactly("redis-0:7000", "10.0.0.2:7001");
    assertThat(c.redis().password().reveal()).isEqualTo("c1uster");
    assertThat(c.redis().address()).isEqualTo("cluster redis-0:7000,10.0.0.2:7001");
    assertThat(c.toString()).doesNotContain("c1uster");
  }

  @Test
  void aBadClusterConfigIsNamedWithItsKeyAndTheFix() {
    String base = "project: p\nwarehouse: {root: w}\nredis:\n";
    assertThatThrownBy(() -> load(base + "  mode: sharded\n", Map.of())).isInstanceOf(ConfigException.class)
        .hasMessage("conf/test.yaml: redis.mode: must be standalone or cluster, got \"sharded\"");
    assertThatThrownBy(() -> load(base + "  mode: cluster\n", Map.of()))
        .hasMessage("conf/test.yaml: redis.nodes: is required with mode: cluster: list one or more seed nodes as"
            + " host:port, for example nodes: [redis-0.redis:6379, redis-1.redis:6379]");
    assertThatThrownBy(() -> load(base + "  mode: cluster\n  nodes: [a:7000, b]\n", Map.of()))
        .hasMessage("conf/test.yaml: redis.nodes[1]: must be host:port with a port between 1 and 65535, got \"b\"");
    assertThatThrownBy(() -> load(base + "  mode: cluster\n  nodes: [a:7000]\n  host: a\n", Map.of()))
        .hasMessage("conf/test.yaml: redis.host: is not read with mode: cluster: list the seed nodes under nodes instead");
    assertThatThrownBy(() -> load(base + "  mode: cluster\n  nodes: [a:7000]\n  database: 2\n", Map.of()))
        .hasMessage("conf/test.yaml: redis.database: must be 0 with mode: cluster (Redis Cluster has database 0 only),"
            + " got 2");
    assertThatThrownBy(() -> load(base + "  nodes: [a:7000]\n", Map.of()))
        .hasMessage("conf/test.yaml: redis.nodes: is only read with mode: cluster (set mode: cluster, or give one server"
            + " as host and port)");
  }

  @Test
  void aMisspelledKeyIsNamedWithItsPathAndASuggestion() {
    assertThatThrownBy(() -> load("project: p\nwarehouse: {root: w}\nredis:\n  prot: 6379\n", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("conf/test.yaml: redis.prot: unknown key (expected one of: database, host, mode, nodes, password, port,")
        .hasMessageEndingWith("did you mean \"port\"?");
  }

  @Test
  void aValueOfTheWrongTypeIsNamedWithItsPathAndValue() {
    assertThatThrownBy(() -> load("project: p\nwarehouse: {root: w}\nredis:\n  port: abc\n", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("conf/test.yaml: redis.port: expected an integer, got \"abc\"");
    assertThatThrownBy(() -> load("project: p\nwarehouse: {root: w}\nspark:\n  ui: maybe\n", Map.of()))
        .hasMessage("conf/test.yaml: spark.ui: expected true or false, got \"maybe\"");
    assertThatThrownBy(() -> load("project: p\nwarehouse: [a, b]\n", Map.of()))
        .hasMessage("conf/test.yaml: warehouse: expected a mapping, got a list");
  }

  @Test
  void missingRequiredValuesAreNamed() {
    assertThatThrownBy(() -> load("project: p\n", Map.of())).hasMessage("conf/test.yaml: warehouse: is required");
    assertThatThrownBy(() -> load("project: p\nwarehouse: {}\n", Map.of()))
        .hasMessage("conf/test.yaml: warehouse.root: is required");
    assertThatThrownBy(() -> load("project: p\nwarehouse: {root: w}\ncatalog: {type: hive}\n", Map.of()))
        .hasMessageStartingWith("conf/test.yaml: catalog.metastore-uri: is required when type is \"hive\"");
  }

  @Test
  void environmentVariablesAreSubstitutedWithDefaults() throws IOException {
    PlatformConfig c = load("project: p\nwarehouse: {root: \"${WH:-/data/wh}\"}\nredis:\n  host: ${HOST}\n  port: ${PORT:-7000}\n",
        Map.of("HOST", "redis.local")).config();
    assertThat(c.warehouse().root()).isEqualTo("/data/wh");
    assertThat(c.redis().host()).isEqualTo("redis.local");
    assertThat(c.redis().port()).isEqualTo(7000);
  }

  @Test
  void anEscapedReferenceStaysLiteralAndIsNotSubstituted() throws IOException {
    PlatformConfig c = load("project: p\nwarehouse: {root: \"/wh/${TEAM}/$${TEAM}\"}\nspark:\n  settings:\n"
        + "    spark.x: \"$${UNSET_VARIABLE}\"\n    spark.y: \"$${A:-b} and $$ alone\"\n", Map.of("TEAM", "risk")).config();
    assertThat(c.warehouse().root()).as("${TEAM} substituted, $${TEAM} a literal ${TEAM}").isEqualTo("/wh/risk/${TEAM}");
    assertThat(c.spark().settings()).as("no error for an escaped unset variable, no default applied")
        .containsEntry("spark.x", "${UNSET_VARIABLE}").containsEntry("spark.y", "${A:-b} and $$ alone");
  }

  @Test
  void anUnsetVariableWithoutDefaultIsNamed() {
    assertThatThrownBy(() -> load("project: p\nwarehouse: {root: w}\nredis: {password: \"${REDIS_PASSWORD}\"}\n", Map.of()))
        .hasMessage("conf/test.yaml: redis.password: environment variable REDIS_PASSWORD is not set"
            + " (set it, or give a default as ${REDIS_PASSWORD:-value})");
  }

  @Test
  void aSecretFromTheEnvironmentNeverAppearsInAnErrorMessage() {
    Map<String, String> env = Map.of("S", "hunter2-very-secret");
    assertThatThrownBy(() -> load("project: p\nwarehouse: {root: w}\nredis: {port: \"${S}\"}\n", env))
        .hasMessage("conf/test.yaml: redis.port: expected an integer, got \"****\"");
    assertThatThrownBy(() -> load("project: p\nwarehouse: {root: w}\nairflow: {url: \"${S}\"}\n", env))
        .hasMessageContaining("airflow.url")
        .message().doesNotContain("hunter2");
  }

  @Test
  void invalidYamlIsReportedWithItsLine() {
    assertThatThrownBy(() -> load("project: p\nwarehouse: {root: w\n", Map.of()))
        .hasMessageStartingWith("conf/test.yaml: not valid YAML at line");
    assertThatThrownBy(() -> load("", Map.of())).hasMessage("conf/test.yaml: the file is empty");
  }

  @Test
  void aMissingFileIsNamed() {
    assertThatThrownBy(() -> new ConfigLoader(k -> null).load(dir.resolve("nope.yaml"), "conf/nope.yaml"))
        .hasMessage("conf/nope.yaml: config file not found (pass --conf <file>)");
  }
}
