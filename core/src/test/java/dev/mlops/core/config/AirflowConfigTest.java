package dev.mlops.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AirflowConfigTest {
  private static final Map<String, String> ENV = Map.of("AIRFLOW_PASSWORD", "pw-from-env-77");

  @TempDir Path dir;

  private AirflowConfig load(String airflowYaml) throws IOException {
    Path file = dir.resolve("conf/test.yaml");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "project: p\nwarehouse: {root: w}\nairflow:\n" + airflowYaml);
    return new ConfigLoader(ENV::get).load(file, "conf/test.yaml").config().airflow();
  }

  @Test
  void everyKeyBindsFromKebabCase() throws IOException {
    AirflowConfig c = load("""
          url: https://airflow.example/base/
          api-version: 2
          user: mlops
          password: ${AIRFLOW_PASSWORD}
          connect-timeout-seconds: 5
          read-timeout-seconds: 20
          timeout-seconds: 45
          ca-file: certs/ca.pem
          max-retries: 0
        """);
    assertThat(c.url()).as("trailing slashes dropped").isEqualTo("https://airflow.example/base");
    assertThat(c.apiVersion()).isEqualTo(2);
    assertThat(c.user()).isEqualTo("mlops");
    assertThat(c.password().reveal()).isEqualTo("pw-from-env-77");
    assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.readTimeout()).isEqualTo(Duration.ofSeconds(20));
    assertThat(c.callTimeout()).isEqualTo(Duration.ofSeconds(45));
    assertThat(c.caFile()).as("relative to the config's folder").isEqualTo(dir.resolve("conf/certs/ca.pem").toString());
    assertThat(c.maxRetries()).isZero();
  }

  @Test
  void anOlderConfigKeepsWorkingWithTheDefaults() throws IOException {
    AirflowConfig c = load("  url: http://airflow:8080\n  user: u\n  password: ${AIRFLOW_PASSWORD}\n  timeout-seconds: 12\n");
    assertThat(c.apiVersion()).as("Airflow 2's stable API, as before").isEqualTo(1);
    assertThat(c.callTimeout()).as("timeout-seconds is the timeout of a whole call").isEqualTo(Duration.ofSeconds(12));
    assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.readTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.caFile()).isNull();
    assertThat(c.maxRetries()).isEqualTo(3);
  }

  @Test
  void anUnknownApiVersionIsNamedWithItsKeyPath() {
    assertThatThrownBy(() -> load("  url: http://a\n  api-version: 3\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("conf/test.yaml: airflow.api-version: must be 1 (Airflow 2, /api/v1) or 2 (Airflow 3, /api/v2), got 3");
  }

  @Test
  void badValuesAreNamedWithTheirKeyPath() {
    assertThatThrownBy(() -> load("  url: http://a\n  read-timeout-seconds: 0\n"))
        .hasMessage("conf/test.yaml: airflow.read-timeout-seconds: must be between 1 and 3600 seconds, got 0");
    assertThatThrownBy(() -> load("  url: http://a\n  max-retries: 11\n"))
        .hasMessage("conf/test.yaml: airflow.max-retries: must be between 0 and 10, got 11");
    assertThatThrownBy(() -> load("  url: http://a\n  user: mlops\n"))
        .hasMessage("conf/test.yaml: airflow.password: is required with user \"mlops\" (give it from the environment:"
            + " password: ${AIRFLOW_PASSWORD})");
    assertThatThrownBy(() -> load("  url: http://a\n  password: ${AIRFLOW_PASSWORD}\n"))
        .hasMessage("conf/test.yaml: airflow.user: is required when a password is set");
  }

  @Test
  void aUrlWithCredentialsIsRefusedWithoutShowingThem() {
    assertThatThrownBy(() -> load("  url: https://mlops:${AIRFLOW_PASSWORD}@airflow.example\n"))
        .hasMessage("conf/test.yaml: airflow.url: must not contain a user or password: give them as airflow.user and"
            + " airflow.password")
        .message().doesNotContain("pw-from-env-77");
  }
}
