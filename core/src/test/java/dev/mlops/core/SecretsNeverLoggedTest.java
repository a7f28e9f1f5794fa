package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.config.ConfigFile;
import dev.mlops.core.config.ConfigLoader;
import dev.mlops.core.runs.RunRecorder;
import dev.mlops.core.spark.SparkSessions;
import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.testkit.LogCapture;
import dev.mlops.testkit.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsNeverLoggedTest {
  private static final String SECRET = "Zq8-very-secret-9Xw";

  @TempDir Path dir;

  @Test
  void aSecretFromTheEnvironmentAppearsInNoLogLineErrorOrTable() throws Exception {
    Path file = dir.resolve("conf.yaml");
    Files.writeString(file, "project: p\nwarehouse: {root: wh}\nredis: {host: localhost, password: \"${REDIS_PASSWORD}\"}\n"
        + "airflow: {url: \"http://localhost:8080\", user: u, password: \"${REDIS_PASSWORD}\"}\n");
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "project: p\nwarehouse: {root: wh}\nredis: {port: \"${REDIS_PASSWORD}\"}\n");
    ConfigLoader loader = new ConfigLoader(Map.of("REDIS_PASSWORD", SECRET)::get);

    String errorMessage;
    try (LogCapture logs = LogCapture.at(Level.DEBUG)) {
      ConfigFile config = loader.load(file);
      assertThat(config.config().redis().password().reveal()).isEqualTo(SECRET);
      SparkSession spark = SparkSessions.newSessionFor(SharedSpark.get(), config.config());
      Warehouse warehouse = Warehouse.of(spark, config.config());
      RunRecorder runs = new RunRecorder(warehouse, config, Clock.systemUTC(), CodeVersion.current());
      runs.run("job", List.of("--flag"), run -> warehouse.write(spark.range(3).toDF(), TableName.parse("raw.t"))
          .commitInfo(run.commitInfo()).commit());
      Throwable error = org.assertj.core.api.Assertions.catchThrowable(() -> loader.load(bad));
      errorMessage = error.getMessage();
      String everything = String.join("\n", logs.lines())
          + spark.conf().getAll().toString()
          + spark.sql("SELECT * FROM ops.runs").collectAsList()
          + config.config();
      assertThat(logs.lines()).as("the capture saw Spark and Delta at work").hasSizeGreaterThan(50);
      assertThat(everything).doesNotContain(SECRET);
    }
    assertThat(errorMessage).contains("redis.port").doesNotContain(SECRET);
    assertThatThrownBy(() -> loader.load(bad)).hasMessageContaining("****");
  }
}
