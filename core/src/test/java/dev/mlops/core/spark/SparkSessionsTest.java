package dev.mlops.core.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/** What {@code spark-submit --conf} gives wins over the config file, its {@code spark.settings} included. */
class SparkSessionsTest {
  @Test
  void aSettingGivenToSparkSubmitWinsOverTheConfigFile() {
    Map<String, String> file = new LinkedHashMap<>();
    file.put("spark.sql.shuffle.partitions", "8");
    file.put("spark.sql.adaptive.enabled", "true");
    file.put("spark.ui.enabled", "false");
    SparkConf submitted = new SparkConf(false).set("spark.sql.shuffle.partitions", "400").set("spark.ui.enabled", "true");

    assertThat(SparkSessions.notSubmitted(file, submitted)).containsExactly(Map.entry("spark.sql.adaptive.enabled", "true"));
  }
}
