package dev.mlops.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Reads YAML files into immutable records, with {@code ${ENV_VAR}} substitution and errors that
 * name the file and the key path: {@code conf/local.yaml: redis.port: expected an integer, got
 * "abc"}. Keys are kebab-case ({@code app-name} binds to the record component {@code appName});
 * unknown keys, wrong types and values a record rejects are all errors. Values taken from the
 * environment never appear in a message.
 *
 * <p>Used for platform configs, feature repositories, validation suites and model specs alike.
 * Thread-safe: every call is independent.
 */
public final class YamlBinder {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  /** Writes resolved YAML a person can read: long lines kept whole, multi-line text as blocks. */
  private static final ObjectMapper YAML_WRITER = new ObjectMapper(YAMLFactory.builder()
      .disable(com.fasterxml.jackson.dataformat.yaml.YAMLGenerator.Feature.SPLIT_LINES)
      .enable(com.fasterxml.jackson.dataformat.yaml.YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
      .enable(com.fasterxml.jackson.dataformat.yaml.YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .build());
  private static final ObjectMapper BINDER =
      JsonMapper.builder()
          .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          .build();

  private static final PropertyNamingStrategies.NamingBase KEBAB =
      (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.KEBAB_CASE;

  private final Function<String, String> env;

  /** A binder that substitutes from {@code env} (pass {@code System::getenv} in production). */
  public YamlBinder(Function<String, String> env) {
    this.env = env;
  }

  /**
   * Reads {@code file} into a {@code type}.
   *
   * @param displayName how the file is named in messages, usually the path as the user gave it
   * @throws ConfigException naming the file and key path at fault
   */
  public <T> T read(Path file, String displayName, Class<T> type) {
    return parse(text(file, displayName), displayName, type);
  }

  /**
   * Reads {@code file} into the record {@code type}, adding every problem found to
   * {@code problems}, as {@link #parse(String, String, Class, Problems)} does.
   *
   * @return the record, or null when a problem was added
   * @throws ConfigException when the file cannot be read, is not a YAML mapping, or names an unset
   *     variable
   */
  public <T extends Record> T read(Path file, String displayName, Class<T> type, Problems problems) {
    return parse(text(file, displayName), displayName, type, problems);
  }

  private static String text(Path file, String displayName) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException(displayName + ": file not found");
    } catch (IOException e) {
      throw new ConfigException(displayName + ": cannot be read: " + e.getMessage(), e);
    }
  }

  /** Parses YAML {@code text} as if read from a file called {@code displayName}. */
  public <T> T parse(String text, String displayName, Class<T> type) {
    JsonNode tree = parseTree(text, displayName);
    EnvSubstitution substitution = new EnvSubstitution(env);
    return bind(substitute(tree, "", displayName, substitution), displayName, type, substitution);
  }

  private static <T> T bind(JsonNode tree, String displayName, Class<T> type, EnvSubstitution substitution) {
    try {
      return BINDER.treeToValue(tree, type);
    } catch (JsonProcessingException e) {
      throw new ConfigException(substitution.redact(describe(e, displayName, tree, "")));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(substitution.redact(displayName + ": " + e.getMessage()));
    }
  }

  /**
   * Parses YAML {@code text} into the record {@code type}, as {@link #parse(String, String, Class)}
   * does, but binds each top-level key, and each element of a top-level list, on its own first, so
   * that a problem in one does not hide a problem in another: every problem found goes to
   * {@code problems}. The record's own checks, which may relate its keys, run once everything has
   * bound; within one key or list element, binding stops at its first problem.
   *
   * @return the record, or null when a problem was added
   * @throws ConfigException when the text is not a YAML mapping, or names an unset variable
   */
  public <T extends Record> T parse(String text, String displayName, Class<T> type, Problems problems) {
    EnvSubstitution substitution = new EnvSubstitution(env);
    JsonNode tree = substitute(parseTree(text, displayName), "", displayName, substitution);
    Map<String, java.lang.reflect.Type> keys = new java.util.LinkedHashMap<>();
    for (java.lang.reflect.RecordComponent c : type.getRecordComponents()) {
      keys.put(KEBAB.translate(c.getName()), c.getGenericType());
    }
    boolean bound = true;
    for (Iterator<Map.Entry<String, JsonNode>> it = tree.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      bound &= bindKey(field.getKey(), field.getValue(), keys, displayName, substitution, problems);
    }
    if (!bound) {
      return null;
    }
    try {
      return bind(tree, displayName, type, substitution);
    } catch (ConfigException e) {
      problems.add(e);
      return null;
    }
  }

  /**
   * Binds the value of one top-level key on its own (a list element by element); false, with the
   * problems added, when it does not bind.
   */
  private static boolean bindKey(String key, JsonNode value, Map<String, java.lang.reflect.Type> keys, String file,
      EnvSubstitution substitution, Problems problems) {
    if (!keys.containsKey(key)) {
      problems.add(new ConfigException(unknownKey(file, key, key, keys.keySet())));
      return false;
    }
    JavaType type = BINDER.constructType(keys.get(key));
    if (!value.isArray() || !type.isCollectionLikeType()) {
      return bindValue(value, type, key, file, substitution, problems);
    }
    boolean bound = true;
    for (int i = 0; i < value.size(); i++) {
      bound &= bindValue(value.get(i), type.getContentType(), key + "[" + i + "]", file, substitution, problems);
    }
    return bound;
  }

  private static boolean bindValue(JsonNode value, JavaType type, String path, String file, EnvSubstitution substitution,
      Problems problems) {
    try {
      BINDER.treeToValue(value, type);
      return true;
    } catch (JsonProcessingException e) {
      problems.add(new ConfigException(substitution.redact(describe(e, file, value, path))));
    } catch (IllegalArgumentException e) {
      problems.add(new ConfigException(substitution.redact(file + ": " + path + ": " + e.getMessage())));
    }
    return false;
  }

  /**
   * {@code text} with every {@code ${VAR}} replaced as {@link #parse} replaces it, as YAML: what
   * the text meant in this environment, to be kept and read back with {@link #parseResolved}
   * whatever the environment is then.
   */
  public String resolve(String text, String displayName) {
    EnvSubstitution substitution = new EnvSubstitution(env);
    JsonNode substituted = substitute(parseTree(text, displayName), "", displayName, substitution);
    try {
      return YAML_WRITER.writeValueAsString(substituted);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a YAML tree that cannot be written back: " + e.getMessage(), e);
    }
  }

  /**
   * Parses YAML {@code text} that {@link #resolve} gave: bound as it is, with no substitution (a
   * {@code ${} in it is literal text).
   */
  public static <T> T parseResolved(String text, String displayName, Class<T> type) {
    JsonNode tree = parseTree(text, displayName);
    try {
      return BINDER.treeToValue(tree, type);
    } catch (JsonProcessingException e) {
      throw new ConfigException(describe(e, displayName, tree, ""));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(displayName + ": " + e.getMessage());
    }
  }

  /** Parses YAML {@code text} into a tree, without substitution or binding. */
  public static JsonNode parseTree(String text, String displayName) {
    JsonNode tree;
    try {
      tree = YAML.readTree(text);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw new ConfigException(displayName + ": not valid YAML" + where + ": " + e.getOriginalMessage());
    }
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      throw new ConfigException(displayName + ": the file is empty");
    }
    if (!tree.isObject()) {
      throw new ConfigException(displayName + ": expected a mapping of keys at the top level");
    }
    return tree;
  }

  private JsonNode substitute(JsonNode node, String path, String file, EnvSubstitution substitution) {
    if (node.isTextual() && EnvSubstitution.hasReference(node.textValue())) {
      return TextNode.valueOf(substitution.substitute(node.textValue(), file + ": " + path));
    }
    if (node.isObject()) {
      ObjectNode copy = ((ObjectNode) node).objectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        String child = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
        copy.set(field.getKey(), substitute(field.getValue(), child, file, substitution));
      }
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = ((ArrayNode) node).arrayNode();
      for (int i = 0; i < node.size(); i++) {
        copy.add(substitute(node.get(i), path + "[" + i + "]", file, substitution));
      }
      return copy;
    }
    return node;
  }

  /**
   * The message of a binding error of {@code tree}, the value at key path {@code under} of
   * {@code file} (empty: the whole file).
   */
  private static String describe(JsonProcessingException e, String file, JsonNode tree, String under) {
    if (!(e instanceof JsonMappingException m)) {
      return file + ": " + (under.isEmpty() ? "" : under + ": ") + e.getOriginalMessage();
    }
    String within = path(m.getPath());
    String path = under.isEmpty() || within.isEmpty() || within.startsWith("[") ? under + within : under + "." + within;
    if (m instanceof ValueInstantiationException && rootCause(m) instanceof ConfigValueException v) {
      String key = path.isEmpty() ? v.key() : path + "." + v.key();
      return file + ": " + key + ": " + v.getMessage();
    }
    if (m instanceof ValueInstantiationException && rootCause(m) instanceof IllegalArgumentException iae) {
      return file + ": " + (path.isEmpty() ? "" : path + ": ") + iae.getMessage();
    }
    if (m instanceof UnrecognizedPropertyException u) {
      Collection<String> known = new ArrayList<>();
      u.getKnownPropertyIds().forEach(id -> known.add(String.valueOf(id)));
      return unknownKey(file, path, u.getPropertyName(), known);
    }
    if (m instanceof MismatchedInputException mi && mi.getTargetType() != null) {
      JsonNode value = at(tree, m.getPath());
      return file + ": " + (path.isEmpty() ? "(top level)" : path) + ": expected "
          + expected(mi.getTargetType()) + ", got " + shown(value);
    }
    return file + ": " + (path.isEmpty() ? "" : path + ": ") + m.getOriginalMessage();
  }

  private static String unknownKey(String file, String path, String given, Collection<String> known) {
    Collection<String> sorted = new TreeSet<>(known);
    return file + ": " + path + ": unknown key (expected one of: " + String.join(", ", sorted) + ")"
        + DidYouMean.hint(given, sorted);
  }

  private static Throwable rootCause(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c;
  }

  private static String path(List<JsonMappingException.Reference> refs) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : refs) {
      if (r.getFieldName() != null) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  private static JsonNode at(JsonNode tree, List<JsonMappingException.Reference> refs) {
    JsonNode node = tree;
    for (JsonMappingException.Reference r : refs) {
      if (node == null) {
        return null;
      }
      node = r.getFieldName() != null ? node.get(r.getFieldName()) : node.get(r.getIndex());
    }
    return node;
  }

  private static String expected(Class<?> type) {
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class
        || type == short.class || type == Short.class) {
      return "an integer";
    }
    if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
      return "a number";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type == String.class || type == Secret.class || type.isEnum()) {
      return "a string";
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a list";
    }
    return "a mapping";
  }

  private static String shown(JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return "nothing";
    }
    if (value.isTextual()) {
      return "\"" + value.textValue() + "\"";
    }
    if (value.isObject()) {
      return "a mapping";
    }
    if (value.isArray()) {
      return "a list";
    }
    return value.toString();
  }
}
