package dev.mlops.core.tables;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** JSON for small metadata values (commit info, run arguments). */
public final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private Json() {}

  /** {@code value} as compact JSON, keys sorted. */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Cannot write as JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** The shared mapper (thread-safe). */
  public static ObjectMapper mapper() {
    return MAPPER;
  }
}
