package dev.mlops.jobs.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import scala.collection.Iterable;
import scala.jdk.javaapi.CollectionConverters;

/** Turns Spark values into plain Java values for JSON and text. */
final class Values {
  private Values() {}

  static Object toJson(Object v) {
    if (v == null || v instanceof Number || v instanceof Boolean || v instanceof String) {
      return v;
    }
    if (v instanceof Row row) {
      Map<String, Object> m = new LinkedHashMap<>();
      String[] names = row.schema() == null ? null : row.schema().fieldNames();
      for (int i = 0; i < row.size(); i++) {
        m.put(names == null ? "_" + (i + 1) : names[i], toJson(row.get(i)));
      }
      return m;
    }
    if (v instanceof scala.collection.Map<?, ?> map) {
      Map<String, Object> m = new LinkedHashMap<>();
      CollectionConverters.asJava(map).forEach((k, x) -> m.put(String.valueOf(k), toJson(x)));
      return m;
    }
    if (v instanceof Iterable<?> it) {
      List<Object> l = new ArrayList<>();
      CollectionConverters.asJava(it).forEach(x -> l.add(toJson(x)));
      return l;
    }
    if (v instanceof byte[] bytes) {
      return java.util.Base64.getEncoder().encodeToString(bytes);
    }
    return text(v);
  }

  static String text(Object v) {
    if (v == null) {
      return "NULL";
    }
    if (v instanceof java.sql.Timestamp ts) {
      return ts.toInstant().toString();
    }
    if (v instanceof byte[] bytes) {
      return "<" + bytes.length + " bytes>";
    }
    if (v instanceof Row || v instanceof scala.collection.Map<?, ?> || v instanceof Iterable<?>) {
      return dev.mlops.core.tables.Json.write(toJson(v));
    }
    return String.valueOf(v);
  }
}
