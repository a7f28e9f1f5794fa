package dev.mlops.monitoring.airflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads Airflow's JSON answers into the client's records and writes request bodies. Fields the
 * client does not use are ignored, so newer Airflow versions that add fields keep working; a
 * field it needs that is missing or malformed is an {@link IllegalArgumentException} naming it.
 * Stateless and thread-safe.
 */
final class AirflowJson {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .build();
  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

  /** One page of a run's task instances and the count of all of them. */
  record TaskPage(List<TaskInstance> tasks, int totalEntries) {}

  private AirflowJson() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static JsonNode tree(String body) {
    try {
      JsonNode node = MAPPER.readTree(body);
      if (node == null || node.isMissingNode()) {
        throw new IllegalArgumentException("the body is empty");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the body is not JSON (" + e.getOriginalMessage() + ")");
    }
  }

  static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** {@code value} as a JSON tree (a conf). */
  static JsonNode toTree(Object value) {
    return MAPPER.valueToTree(value);
  }

  /** {@code json} as a map; fails unless it is a JSON object. */
  static Map<String, Object> parseObject(String json) {
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("expected a JSON object such as {\"key\": \"value\"}, got "
          + (node == null || node.isMissingNode() ? "nothing" : node.getNodeType().toString().toLowerCase(Locale.ROOT)));
    }
    return MAPPER.convertValue(node, MAP);
  }

  /** {@code value} as compact JSON with map keys sorted, so equal maps give equal text. */
  static String canonical(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write as JSON: " + e.getOriginalMessage(), e);
    }
  }

  static DagRun dagRun(JsonNode n) {
    JsonNode conf = n.path("conf");
    return new DagRun(required(n, "dag_id"), required(n, "dag_run_id"), runState(n), text(n, "run_type"),
        instant(n, "logical_date"), instant(n, "queued_at"), instant(n, "start_date"), instant(n, "end_date"),
        conf.isObject() ? MAPPER.convertValue(conf, MAP) : Map.of());
  }

  static TaskPage taskPage(JsonNode n) {
    JsonNode items = n.path("task_instances");
    if (!items.isArray()) {
      throw new IllegalArgumentException("the field task_instances is missing or not a list");
    }
    List<TaskInstance> tasks = new ArrayList<>();
    for (JsonNode t : items) {
      tasks.add(taskInstance(t));
    }
    JsonNode total = n.path("total_entries");
    if (!total.canConvertToInt()) {
      throw new IllegalArgumentException("the field total_entries is missing or not a number");
    }
    return new TaskPage(tasks, total.intValue());
  }

  static Dag dag(JsonNode n) {
    return new Dag(required(n, "dag_id"), n.path("is_paused").asBoolean(false));
  }

  /** The token of {@code POST /auth/token}'s answer ({@code jwt_token} in an older FAB version). */
  static String token(JsonNode n) {
    String token = text(n, "access_token");
    token = token != null ? token : text(n, "jwt_token");
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("the field access_token is missing");
    }
    return token;
  }

  private static TaskInstance taskInstance(JsonNode t) {
    JsonNode duration = t.path("duration");
    return new TaskInstance(required(t, "task_id"), t.path("map_index").asInt(-1), TaskState.fromApi(text(t, "state")),
        t.path("try_number").asInt(0), t.path("max_tries").asInt(0), instant(t, "start_date"), instant(t, "end_date"),
        duration.isNumber() ? Duration.ofNanos(Math.round(duration.doubleValue() * 1e9)) : null, text(t, "operator"));
  }

  private static RunState runState(JsonNode n) {
    return RunState.fromApi(required(n, "state"));
  }

  private static String required(JsonNode n, String field) {
    String value = text(n, field);
    if (value == null) {
      throw new IllegalArgumentException("the field " + field + " is missing");
    }
    return value;
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static Instant instant(JsonNode n, String field) {
    String v = text(n, field);
    if (v == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(v).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("the field " + field + " is not an ISO-8601 date-time: \"" + v + "\"");
    }
  }
}
