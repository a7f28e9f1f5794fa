package dev.mlops.training.spec;

import dev.mlops.core.config.ConfigException;
import dev.mlops.core.config.Problems;
import dev.mlops.core.config.YamlBinder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Function;

/**
 * Reads model specs from YAML. Errors name the file and the key path:
 * {@code conf/models/fraud.yaml: algorithm.type: unknown algorithm "xgb"; one of ...}, and a
 * file's problems are reported together (see {@link #parse}). Thread-safe.
 */
public final class ModelSpecLoader {
  private final YamlBinder binder;

  /** A loader that substitutes {@code ${VAR}} from {@code env}. */
  public ModelSpecLoader(Function<String, String> env) {
    this.binder = new YamlBinder(env);
  }

  /** The spec in {@code file}, named {@code displayName} in messages. */
  public LoadedSpec load(Path file, String displayName) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException(displayName + ": model spec not found");
    } catch (IOException e) {
      throw new ConfigException(displayName + ": cannot be read: " + e.getMessage(), e);
    }
    return parse(text, displayName);
  }

  /**
   * The spec in YAML {@code text}, as if read from {@code displayName}.
   *
   * @throws ConfigException naming every problem of the text, each with its key path: each
   *     top-level key (and each element of a top-level list) is checked on its own, so an unknown
   *     algorithm and bad split fractions are reported together. The checks that relate keys (the
   *     required sections, the name, class weight, threshold and promotion) run once every key is
   *     valid, and stop at the first.
   */
  public LoadedSpec parse(String text, String displayName) {
    Problems problems = new Problems(displayName);
    ModelSpec spec = binder.parse(text, displayName, ModelSpec.class, problems);
    problems.throwIfAny();
    return new LoadedSpec(spec, new RecordedSpec(displayName, text, binder.resolve(text, displayName), sha256(text)));
  }

  /**
   * The spec a version was registered with, as it read then: its resolved text, bound with no
   * substitution. A version recorded without its resolved text is read from its text with this
   * loader's environment.
   */
  public LoadedSpec recorded(RecordedSpec recorded) {
    if (recorded.resolved() == null) {
      return new LoadedSpec(binder.parse(recorded.text(), recorded.file(), ModelSpec.class), recorded);
    }
    return new LoadedSpec(YamlBinder.parseResolved(recorded.resolved(), recorded.file(), ModelSpec.class), recorded);
  }

  /**
   * The spec of model {@code name} in {@code folder} ({@code <name>.yaml}), or the file
   * {@code name} itself when that exists.
   */
  public LoadedSpec find(Path folder, String name) {
    Path asFile = Path.of(name);
    if (Files.isRegularFile(asFile)) {
      return load(asFile, name);
    }
    Path file = folder.resolve(name + ".yaml");
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("Cannot find the spec of model " + name + ": no file " + name + " and no " + file
          + " (set training.models in the config, or pass the spec file)");
    }
    LoadedSpec loaded = load(file, folder.getFileName() + "/" + file.getFileName());
    if (!loaded.spec().name().equals(name)) {
      throw new ConfigException(loaded.file() + ": name: is \"" + loaded.spec().name() + "\" but the file is " + name
          + ".yaml; name the file after the model");
    }
    return loaded;
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A spec with where it came from.
   *
   * @param spec the spec
   * @param recorded the file, the text as written and as resolved, and its hash (recorded with
   *     every version)
   */
  public record LoadedSpec(ModelSpec spec, RecordedSpec recorded) {
    /** The file as named in messages. */
    public String file() {
      return recorded.file();
    }

    /**
     * A collector for this spec's problems found against the data it names (a missing column, an
     * unknown parameter), to report together; add them at {@link #at}.
     */
    public Problems problems() {
      return new Problems(file());
    }

    /** Where {@code keyPath} of this spec is, for {@link Problems#add(String, String)}: {@code file: keyPath}. */
    public String at(String keyPath) {
      return file() + ": " + keyPath;
    }

    /** A configuration error at {@code keyPath} of this spec, when it is the only one to report. */
    public ConfigException error(String keyPath, String problem) {
      return problems().add(at(keyPath), problem).exception();
    }
  }
}
