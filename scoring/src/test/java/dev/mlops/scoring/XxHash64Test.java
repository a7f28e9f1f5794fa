package dev.mlops.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.testkit.TestPlatform;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XxHash64Test {
  @TempDir static Path dir;

  @Test
  void hashesStringsAsSparkSqlsXxhash64DoesForEveryLength() {
    SparkSession spark = TestPlatform.create(dir).spark();
    Random random = new Random(7);
    List<Row> rows = new ArrayList<>();
    String alphabet = "abcXYZ019:-_ äéü€😀";
    for (int i = 0; i < 400; i++) {
      StringBuilder s = new StringBuilder();
      int length = i < 120 ? i : random.nextInt(300);
      for (int c = 0; c < length; c++) {
        s.appendCodePoint(alphabet.codePointAt(alphabet.offsetByCodePoints(0, random.nextInt(alphabet.codePointCount(0,
            alphabet.length())))));
      }
      rows.add(RowFactory.create(s.toString()));
    }
    List<Row> hashed = spark.createDataFrame(rows, new StructType().add("s", DataTypes.StringType))
        .selectExpr("s", "xxhash64(s)").collectAsList();
    for (Row r : hashed) {
      assertThat(XxHash64.hash(r.getString(0).getBytes(StandardCharsets.UTF_8), XxHash64.SPARK_SEED))
          .as("xxhash64 of a string of %d UTF-8 bytes", r.getString(0).getBytes(StandardCharsets.UTF_8).length)
          .isEqualTo(r.getLong(1));
    }
  }
}
