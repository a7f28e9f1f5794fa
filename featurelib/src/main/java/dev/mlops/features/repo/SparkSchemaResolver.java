package dev.mlops.features.repo;

import dev.mlops.core.spark.SparkErrors;
import dev.mlops.core.spark.SparkSessions;
import dev.mlops.features.Source;
import dev.mlops.features.internal.SourceReader;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/** Resolves schemas with Spark's analyzer, without running anything. */
public final class SparkSchemaResolver implements SchemaResolver {
  private final SparkSession spark;

  public SparkSchemaResolver(SparkSession spark) {
    this.spark = spark;
  }

  @Override
  public StructType source(Source source) {
    try {
      return new SourceReader(spark).read(source).schema();
    } catch (Exception e) {
      throw new SchemaException(SparkErrors.message(e));
    }
  }

  @Override
  public StructType query(List<Source> sources, String sql) {
    SparkSession session = SparkSessions.isolated(spark);
    try {
      SourceReader reader = new SourceReader(session);
      for (Source s : sources) {
        reader.read(s).createOrReplaceTempView(s.name());
      }
      return session.sql(sql).schema();
    } catch (Exception e) {
      throw new SchemaException(SparkErrors.message(e));
    }
  }

  @Override
  public StructType expressions(StructType input, List<String> expressions) {
    try {
      Dataset<Row> empty = spark.createDataFrame(new ArrayList<Row>(), input);
      return empty.selectExpr(expressions.toArray(String[]::new)).schema();
    } catch (Exception e) {
      throw new SchemaException(SparkErrors.message(e));
    }
  }
}
