package dev.mlops.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.config.ConfigException;
import dev.mlops.core.config.DidYouMean;
import dev.mlops.core.config.Problems;
import dev.mlops.core.config.YamlBinder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads pipeline definitions ({@code conf/pipelines/*.yaml}) and checks them, reporting every
 * problem at once, each naming the file and the key path ({@code nightly.yaml: steps[3].after[0]:
 * ...}): unknown keys, missing or duplicate ids, dependencies on missing steps, cycles (naming the
 * steps in them), bad durations and unknown templates. The step commands themselves are checked by
 * the CLI, which knows its subcommands. Stateless and thread-safe.
 */
public final class PipelineLoader {
  static final List<String> TOP_KEYS = List.of("pipeline", "description", "schedule", "params", "defaults", "steps");
  static final List<String> DEFAULT_KEYS = List.of("retries", "retry-delay", "timeout", "pool");
  static final List<String> STEP_KEYS = List.of("id", "command", "range-command", "after", "retries", "retry-delay",
      "timeout", "pool");

  /** The pipeline files of {@code folder} ({@code *.yaml}, {@code *.yml}), sorted; empty when there is no folder. */
  public List<Path> files(Path folder) {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(folder)) {
      return s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + folder, e);
    }
  }

  /**
   * The pipeline {@code nameOrFile}: a file path, or the name of a file in {@code folder}.
   *
   * @throws dev.mlops.core.PlatformException naming the folder and its pipelines when there is none
   */
  public PipelineDefinition find(Path folder, String nameOrFile) {
    Path file = Path.of(nameOrFile);
    if (!Files.isRegularFile(file)) {
      file = Stream.of(nameOrFile + ".yaml", nameOrFile + ".yml").map(folder::resolve).filter(Files::isRegularFile)
          .findFirst().orElseThrow(() -> PipelineErrors.notFound(nameOrFile, folder, files(folder).stream()
              .map(p -> p.getFileName().toString().replaceFirst("\\.ya?ml$", "")).toList()));
    }
    return load(file, file.toString());
  }

  /** Reads and checks {@code file}, named {@code displayName} in messages. */
  public PipelineDefinition load(Path file, String displayName) {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8), displayName);
    } catch (IOException e) {
      throw new ConfigException(displayName + ": cannot read the file: " + e.getMessage(), e);
    }
  }

  /**
   * Parses and checks a definition's {@code text}.
   *
   * @throws ConfigException listing every problem, each with the file and key path
   */
  public PipelineDefinition parse(String text, String displayName) {
    JsonNode tree = YamlBinder.parseTree(text, displayName);
    Problems problems = new Problems(displayName);
    Reader r = new Reader(displayName, problems);
    r.unknownKeys(tree, TOP_KEYS, "");
    String name = r.text(tree, "pipeline", "pipeline", true);
    if (name != null && !name.matches("[a-z][a-z0-9_-]*")) {
      problems.add(displayName + ": pipeline", "must be lower-case letters, digits, '-' or '_', got \"" + name + "\"");
    }
    Map<String, String> params = r.params(tree.get("params"));
    StepDefaults defaults = r.defaults(tree.get("defaults"));
    List<PipelineStep> steps = r.steps(tree.get("steps"), defaults, params.keySet());
    checkGraph(steps, displayName, problems);
    problems.throwIfAny();
    JsonNode schedule = tree.get("schedule");
    return new PipelineDefinition(name, r.text(tree, "description", "description", false), schedule == null
        || schedule.isNull() ? null : schedule.asText(), params, defaults, steps, displayName);
  }

  private static void checkGraph(List<PipelineStep> steps, String file, Problems problems) {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < steps.size(); i++) {
      if (!ids.add(steps.get(i).id())) {
        problems.add(file + ": steps[" + i + "].id", "duplicate step id " + steps.get(i).id() + "; give every step its own id");
      }
    }
    for (int i = 0; i < steps.size(); i++) {
      List<String> after = steps.get(i).after();
      for (int j = 0; j < after.size(); j++) {
        if (!ids.contains(after.get(j))) {
          problems.add(file + ": steps[" + i + "].after[" + j + "]", "step " + steps.get(i).id() + " runs after "
              + after.get(j) + ", which is not a step of the pipeline" + DidYouMean.hint(after.get(j), ids));
        }
      }
    }
    new PipelineGraph(steps).cycle().ifPresent(c -> problems.add(file + ": steps", "the steps " + String.join(" -> ", c)
        + " form a cycle; remove one of their after: entries"));
  }

  /** Walks the tree of one file, adding its problems. */
  private record Reader(String file, Problems problems) {
    void unknownKeys(JsonNode node, List<String> known, String path) {
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String key = it.next();
        if (!known.contains(key)) {
          problems.add(file + ": " + path + key, "unknown key; known keys are " + known + DidYouMean.hint(key, known));
        }
      }
    }

    String text(JsonNode node, String key, String path, boolean required) {
      JsonNode v = node.get(key);
      if (v == null || v.isNull()) {
        if (required) {
          problems.add(file + ": " + path, "is required");
        }
        return null;
      }
      if (!v.isValueNode()) {
        problems.add(file + ": " + path, "expected a text value");
        return null;
      }
      return v.asText();
    }

    Map<String, String> params(JsonNode node) {
      Map<String, String> params = new LinkedHashMap<>();
      if (node == null || node.isNull()) {
        return params;
      }
      if (!node.isObject()) {
        problems.add(file + ": params", "expected a mapping of NAME: value");
        return params;
      }
      node.fields().forEachRemaining(e -> {
        if (!e.getValue().isTextual() && !e.getValue().isIntegralNumber()) {
          problems.add(file + ": params." + e.getKey(), "expected a text or an integer, got " + e.getValue()
              + "; quote it (Airflow's Jinja and the local runner render true, 1.5 or null differently)");
        } else {
          params.put(e.getKey(), e.getValue().asText());
        }
      });
      return params;
    }

    StepDefaults defaults(JsonNode node) {
      StepDefaults none = StepDefaults.none();
      if (node == null || node.isNull()) {
        return none;
      }
      if (!node.isObject()) {
        problems.add(file + ": defaults", "expected a mapping with " + DEFAULT_KEYS);
        return none;
      }
      unknownKeys(node, DEFAULT_KEYS, "defaults.");
      return new StepDefaults(retries(node, "defaults.", none.retries()), duration(node, "retry-delay", "defaults.",
          none.retryDelay()), duration(node, "timeout", "defaults.", none.timeout()), text(node, "pool", "defaults.pool", false));
    }

    List<PipelineStep> steps(JsonNode node, StepDefaults defaults, Set<String> params) {
      List<PipelineStep> steps = new ArrayList<>();
      if (node == null || !node.isArray() || node.isEmpty()) {
        problems.add(file + ": steps", "expected a list of steps, each with an id and a command");
        return steps;
      }
      for (int i = 0; i < node.size(); i++) {
        step(node.get(i), "steps[" + i + "]", defaults, params).ifPresent(steps::add);
      }
      return steps;
    }

    Optional<PipelineStep> step(JsonNode node, String path, StepDefaults d, Set<String> params) {
      if (!node.isObject()) {
        problems.add(file + ": " + path, "expected a mapping with id and command");
        return Optional.empty();
      }
      unknownKeys(node, STEP_KEYS, path + ".");
      String id = text(node, "id", path + ".id", true);
      if (id != null && !id.matches("[A-Za-z0-9_.-]+")) {
        problems.add(file + ": " + path + ".id", "must be letters, digits, '_', '.' or '-', got \"" + id + "\"");
      }
      String where = path + (id == null ? "" : " (" + id + ")");
      List<String> command = args(node.get("command"), where + ".command", false, params);
      if (command.isEmpty() && (node.get("command") == null || node.get("command").isEmpty())) {
        problems.add(file + ": " + where + ".command", "is required: the mlops arguments as a list, [validate, --suite, x]");
      }
      List<String> range = args(node.get("range-command"), where + ".range-command", true, params);
      List<String> after = args(node.get("after"), where + ".after", false, Set.of());
      PipelineStep step = new PipelineStep(id == null ? "" : id, command, range, after, retries(node, where + ".", d.retries()),
          duration(node, "retry-delay", where + ".", d.retryDelay()), duration(node, "timeout", where + ".", d.timeout()),
          node.has("pool") ? text(node, "pool", where + ".pool", false) : d.pool());
      return id == null ? Optional.empty() : Optional.of(step);
    }

    List<String> args(JsonNode node, String path, boolean range, Set<String> params) {
      List<String> out = new ArrayList<>();
      if (node == null || node.isNull()) {
        return out;
      }
      if (!node.isArray()) {
        problems.add(file + ": " + path, "expected a list, [a, b, c]");
        return out;
      }
      for (int i = 0; i < node.size(); i++) {
        JsonNode a = node.get(i);
        if (!a.isValueNode() || a.isNull()) {
          problems.add(file + ": " + path + "[" + i + "]", "expected a text value");
          continue;
        }
        Templates.problem(a.asText(), range, params).ifPresent(p -> problems.add(file + ": " + path + "[" + out.size()
            + "]", p));
        out.add(a.asText());
      }
      return out;
    }

    int retries(JsonNode node, String path, int fallback) {
      JsonNode v = node.get("retries");
      if (v == null || v.isNull()) {
        return fallback;
      }
      if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 0) {
        problems.add(file + ": " + path + "retries", "expected a whole number >= 0, got \"" + v.asText() + "\"");
        return fallback;
      }
      return v.asInt();
    }

    Duration duration(JsonNode node, String key, String path, Duration fallback) {
      JsonNode v = node.get(key);
      if (v == null || v.isNull()) {
        return fallback;
      }
      Optional<Duration> d = v.asText().strip().matches("0+\\s*[smhdw]?") ? Optional.of(Duration.ZERO)
          : dev.mlops.core.config.Durations.parse(v.asText());
      if (d.isEmpty()) {
        problems.add(file + ": " + path + key, "expected a duration such as 0s, 30s, 5m, 1h or 1d, got \"" + v.asText() + "\"");
      }
      return d.orElse(fallback);
    }
  }
}
