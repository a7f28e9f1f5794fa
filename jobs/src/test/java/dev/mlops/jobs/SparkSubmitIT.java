package dev.mlops.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.tables.Json;
import dev.mlops.testkit.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job jar runs under {@code spark-submit}: {@code org.apache.spark.deploy.SparkSubmit} (the
 * class the script calls) in a separate JVM whose classpath holds Spark alone, so Delta, our
 * code and our dependencies must all come from the jar.
 */
class SparkSubmitIT {
  @TempDir Path dir;

  private ProcessRunner.Result submit(Path conf, String... appArgs) throws Exception {
    List<String> cmd = new ArrayList<>(ProcessRunner.javaWithSparkFlags(ItSupport.REPO));
    cmd.addAll(List.of("-Xmx2g", "-cp", Files.readString(ItSupport.TARGET.resolve("spark.classpath")).strip(),
        "org.apache.spark.deploy.SparkSubmit", "--master", "local[2]",
        "--conf", "spark.ui.enabled=false", "--conf", "spark.driver.host=127.0.0.1",
        "--class", "dev.mlops.jobs.Mlops", ItSupport.TARGET.resolve("mlops-spark-job.jar").toString(),
        "--conf", conf.toString()));
    cmd.addAll(List.of(appArgs));
    return ProcessRunner.of(cmd).env("SPARK_LOCAL_IP", "127.0.0.1").run();
  }

  @Test
  void theJobJarRunsTheDemoAndSqlUnderSparkSubmit() throws Exception {
    String classpath = Files.readString(ItSupport.TARGET.resolve("spark.classpath"));
    assertThat(classpath).as("the submit JVM has Spark but neither Delta nor our code")
        .contains("spark-sql_2.13-4.1.0.jar").doesNotContain("delta-spark").doesNotContain("mlops-core");
    dev.mlops.testkit.RedisHarness redis = dev.mlops.testkit.RedisHarness.start();
    Path conf = ItSupport.writeConfig(dir, dir.resolve("warehouse"), redis, "");

    ProcessRunner.Result demo = submit(conf, "demo", "--json", "--scale", "0.004", "--days", "10");
    assertThat(demo.exitCode()).as(demo.describe()).isZero();
    long generated = Json.mapper().readTree(demo.stdout()).get("transactions").asLong();
    assertThat(generated).isEqualTo(4000);

    ProcessRunner.Result sql = submit(conf, "sql", "--json",
        "SELECT (SELECT count(*) FROM raw.transactions) AS now, (SELECT count(*) FROM raw.transactions VERSION AS OF 0) AS v0");
    assertThat(sql.exitCode()).as(sql.describe()).isZero();
    JsonNode row = Json.mapper().readTree(sql.stdout()).get("rows").get(0);
    assertThat(row.get("now").asLong()).isEqualTo(generated);
    assertThat(row.get("v0").asLong()).isEqualTo(generated);
    JsonNode online = Json.mapper().readTree(demo.stdout()).get("online");
    assertThat(online.get("written").asLong()).as("executors wrote to Redis from the job jar").isPositive();
    assertThat(online.get("mismatches").asLong()).isZero();
    redis.close();
  }
}
