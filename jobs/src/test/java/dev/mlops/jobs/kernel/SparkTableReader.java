package dev.mlops.jobs.kernel;

import dev.mlops.jobs.kernel.TableDigest.Canonical;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Reads a Delta table version as Spark does ({@code versionAsOf} on its path), and maps the
 * collected rows to the same canonical values as {@link KernelTableReader}, from Spark's own Java
 * objects. For small tables: it collects them. Not thread-safe.
 */
public final class SparkTableReader {
  private final SparkSession spark;

  /** A reader on a new session of {@code spark}'s context, with Java 8 date and time values. */
  public SparkTableReader(SparkSession spark) {
    this.spark = spark.newSession();
    this.spark.conf().set("spark.sql.datetime.java8API.enabled", "true");
  }

  /** The column names and digest of version {@code version} of the table at {@code path}. */
  public KernelTableReader.Read read(String path, long version) {
    org.apache.spark.sql.Dataset<Row> table = spark.read().format("delta").option("versionAsOf", version).load(path);
    StructType schema = table.schema();
    TableDigest digest = new TableDigest();
    for (Row r : table.collectAsList()) {
      digest.add(fields(r, schema));
    }
    return new KernelTableReader.Read(version, Arrays.asList(schema.fieldNames()), digest);
  }

  private static List<Object> fields(Row r, StructType schema) {
    List<Object> values = new ArrayList<>(schema.size());
    for (int c = 0; c < schema.size(); c++) {
      values.add(value(r.get(c), schema.fields()[c].dataType()));
    }
    return values;
  }

  private static Object value(Object v, DataType t) {
    if (v == null) {
      return null;
    } else if (v instanceof Boolean b) {
      return b ? 1L : 0L;
    } else if (v instanceof Byte || v instanceof Short || v instanceof Integer || v instanceof Long) {
      return ((Number) v).longValue();
    } else if (v instanceof Float f) {
      return (double) f;
    } else if (v instanceof Double || v instanceof BigDecimal || v instanceof String || v instanceof byte[]) {
      return v;
    } else if (v instanceof LocalDate d) {
      return new Canonical.Date(d.toEpochDay());
    } else if (v instanceof Instant i) {
      return new Canonical.Micros(ChronoUnit.MICROS.between(Instant.EPOCH, i), false);
    } else if (v instanceof LocalDateTime l) {
      return new Canonical.Micros(ChronoUnit.MICROS.between(Instant.EPOCH, l.toInstant(ZoneOffset.UTC)), true);
    } else if (v instanceof Row r && t instanceof StructType s) {
      return new Canonical.Struct(fields(r, s));
    } else if (v instanceof scala.collection.Seq<?> seq && t instanceof ArrayType a) {
      List<Object> elements = new ArrayList<>();
      CollectionConverters.asJava(seq).forEach(e -> elements.add(value(e, a.elementType())));
      return new Canonical.Array(elements);
    } else if (v instanceof scala.collection.Map<?, ?> map && t instanceof MapType m) {
      List<Object> keys = new ArrayList<>();
      List<Object> values = new ArrayList<>();
      for (Map.Entry<?, ?> e : CollectionConverters.asJava(map).entrySet()) {
        keys.add(value(e.getKey(), m.keyType()));
        values.add(value(e.getValue(), m.valueType()));
      }
      return new Canonical.MapValue(keys, values);
    }
    throw new IllegalArgumentException("Spark read a value this check does not know: " + v.getClass().getName()
        + " of type " + t);
  }
}
