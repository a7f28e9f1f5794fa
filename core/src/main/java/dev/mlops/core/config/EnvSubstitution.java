package dev.mlops.core.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${NAME}} and {@code ${NAME:-default}} in configuration values with environment
 * variables; {@code $${} stands for a literal {@code ${}. Remembers every value it took from the
 * environment so that error messages can redact them.
 *
 * <p>Not thread-safe: one instance per file being read.
 */
final class EnvSubstitution {
  private static final Pattern REFERENCE =
      Pattern.compile("\\$\\$\\{|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

  private final Function<String, String> env;
  private final List<String> substitutedValues = new ArrayList<>();

  EnvSubstitution(Function<String, String> env) {
    this.env = Objects.requireNonNull(env, "env == null");
  }

  /** Whether {@code text} holds a reference (or an escaped {@code $${}). */
  static boolean hasReference(String text) {
    return text.contains("${");
  }

  /**
   * Substitutes every reference in {@code text}.
   *
   * @param where the file and key path, for the error message
   * @throws ConfigException when a variable without a default is not set
   */
  String substitute(String text, String where) {
    Matcher m = REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement;
      if (m.group().equals("$${")) {
        replacement = "${";
      } else {
        String name = m.group(1);
        String value = env.apply(name);
        if (value == null) {
          if (m.group(2) == null) {
            throw new ConfigException(
                where + ": environment variable " + name + " is not set (set it, or give a default as ${"
                    + name + ":-value})");
          }
          replacement = m.group(2);
        } else {
          if (!value.isEmpty()) {
            substitutedValues.add(value);
          }
          replacement = value;
        }
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** The values taken from the environment so far. */
  List<String> substitutedValues() {
    return Collections.unmodifiableList(substitutedValues);
  }

  /** {@code message} with every value taken from the environment replaced by {@code ****}. */
  String redact(String message) {
    String result = message;
    for (String value : substitutedValues) {
      result = result.replace(value, "****");
    }
    return result;
  }
}
