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

  @Test
  void aSubmittedKryoRegistratorRunsAndOursAfterIt() {
    SparkConf submitted = new SparkConf(false).set("spark.kryo.registrator", "com.example.Theirs");
    assertThat(SparkSessions.notSubmitted(Map.of("spark.kryo.registrator", KryoRecords.class.getName()), submitted))
        .containsExactly(Map.entry("spark.kryo.registrator", "com.example.Theirs," + KryoRecords.class.getName()));
  }

  record Run(int partition, String key, long positives) implements java.io.Serializable {}

  @Test
  void aRecordCrossesKryoWithThePlatformsRegistrator() {
    SparkConf conf = new SparkConf(false).set("spark.kryo.registrator", KryoRecords.class.getName());
    org.apache.spark.serializer.SerializerInstance kryo = new org.apache.spark.serializer.KryoSerializer(conf).newInstance();
    scala.reflect.ClassTag<Object> any = scala.reflect.ClassTag$.MODULE$.apply(Object.class);
    // What collect() of a partition's records sends back: an array of them.
    Object back = kryo.deserialize(kryo.serialize(new Run[] {new Run(3, "a", 7L), new Run(4, "b", 0L)}, any), any);
    assertThat(back).isEqualTo(new Run[] {new Run(3, "a", 7L), new Run(4, "b", 0L)});
  }
}
