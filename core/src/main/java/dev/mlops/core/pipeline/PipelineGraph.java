package dev.mlops.core.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The dependency graph of a pipeline's steps: a stable order (among the steps whose dependencies
 * are done, the first in file order goes first), cycles, descendants and ancestors. Dependencies on
 * unknown ids are ignored here ({@link PipelineLoader} reports them). Immutable.
 */
public final class PipelineGraph {
  private final Map<String, List<String>> after = new LinkedHashMap<>();

  /** The graph of {@code steps}, in file order. */
  public PipelineGraph(List<PipelineStep> steps) {
    steps.forEach(s -> after.putIfAbsent(s.id(), s.after()));
  }

  /** The step ids in dependency order; the steps of a cycle are left out (see {@link #cycle()}). */
  public List<String> order() {
    Set<String> done = new LinkedHashSet<>();
    boolean progress = true;
    while (progress) {
      progress = false;
      for (Map.Entry<String, List<String>> e : after.entrySet()) {
        if (!done.contains(e.getKey()) && e.getValue().stream().allMatch(d -> done.contains(d) || !after.containsKey(d))) {
          done.add(e.getKey());
          progress = true;
          break;
        }
      }
    }
    return List.copyOf(done);
  }

  /** A cycle, as the ids along it with the first repeated at the end ({@code a, b, a}); empty if none. */
  public Optional<List<String>> cycle() {
    Set<String> finished = new LinkedHashSet<>();
    for (String id : after.keySet()) {
      Optional<List<String>> found = cycleFrom(id, new ArrayList<>(), finished);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  private Optional<List<String>> cycleFrom(String id, List<String> path, Set<String> finished) {
    int at = path.indexOf(id);
    if (at >= 0) {
      List<String> cycle = new ArrayList<>(path.subList(at, path.size()));
      cycle.add(id);
      return Optional.of(cycle);
    }
    if (finished.contains(id) || !after.containsKey(id)) {
      return Optional.empty();
    }
    path.add(id);
    for (String d : after.get(id)) {
      Optional<List<String>> found = cycleFrom(d, path, finished);
      if (found.isPresent()) {
        return found;
      }
    }
    path.remove(path.size() - 1);
    finished.add(id);
    return Optional.empty();
  }

  /** {@code id} and every step that depends on it, directly or not. */
  public Set<String> withDescendants(String id) {
    Set<String> out = new LinkedHashSet<>(List.of(id));
    boolean grew = true;
    while (grew) {
      grew = false;
      for (Map.Entry<String, List<String>> e : after.entrySet()) {
        if (!out.contains(e.getKey()) && e.getValue().stream().anyMatch(out::contains)) {
          grew = out.add(e.getKey());
        }
      }
    }
    return out;
  }

  /** {@code id} and every step it depends on, directly or not. */
  public Set<String> withAncestors(String id) {
    Set<String> out = new LinkedHashSet<>();
    List<String> todo = new ArrayList<>(List.of(id));
    while (!todo.isEmpty()) {
      String next = todo.remove(todo.size() - 1);
      if (out.add(next)) {
        todo.addAll(after.getOrDefault(next, List.of()));
      }
    }
    return out;
  }
}
