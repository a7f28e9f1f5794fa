package dev.mlops.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Rules of the code base checked on the main sources of every module, so that a change that
 * breaks one fails here, naming the file and line:
 * <ul>
 *   <li>Spark's internals ({@code org.apache.spark.sql.execution}, {@code .classic},
 *       {@code .catalyst}) and reflection only in a module's {@code internal} package: its one door
 *       to Spark's internals, behind which a Spark upgrade is a version bump, not a hunt.
 *   <li>No method over {@value #MAX_METHOD_LINES} lines, from its signature to its closing brace.
 * </ul>
 */
class ArchitectureTest {
  static final Path REPO = Path.of(System.getProperty("mlops.repo.root", "..")).toAbsolutePath().normalize();
  static final int MAX_METHOD_LINES = 60;
  static final List<String> MODULES = List.of("core", "featurelib", "validation", "training", "scoring", "monitoring",
      "benchmarks", "jobs");
  static final Pattern INTERNAL_USE = Pattern.compile(
      "org\\.apache\\.spark\\.sql\\.(execution|classic|catalyst)\\b|\\bsetAccessible\\s*\\("
          + "|\\bgetDeclared(Field|Method|Constructor)s?\\s*\\(|\\bClass\\.forName\\s*\\(");
  private static final Pattern SIGNATURE = Pattern.compile("^( +)(?=\\S)(?:@\\w+(?:\\([^)]*\\))?\\s+)*"
      + "(?:(?:public|protected|private|static|final|synchronized|default|abstract|native)\\s+)*(?:<[^>]+>\\s+)?"
      + "[\\w.<>\\[\\], ?]+\\s+(\\w+)\\s*\\([^;]*$");
  private static final Pattern NOT_A_METHOD = Pattern.compile(
      "^\\s+(return|new|throw|else|if|for|while|switch|case|try|catch|synchronized)\\b|\\b(class|record|interface|enum)\\b");

  @Test
  void sparkInternalsAndReflectionAppearOnlyInInternalPackages() {
    List<String> found = new ArrayList<>();
    for (Path file : mainSources()) {
      if (file.toString().contains("/internal/")) {
        continue;
      }
      String[] lines = withoutComments(read(file)).split("\n", -1);
      for (int i = 0; i < lines.length; i++) {
        Matcher m = INTERNAL_USE.matcher(lines[i]);
        if (m.find()) {
          found.add(REPO.relativize(file) + ":" + (i + 1) + ": " + m.group() + " (move it behind the module's internal door)");
        }
      }
    }
    assertThat(found).as("Spark internals and reflection outside an internal package").isEmpty();
  }

  @Test
  void noMethodIsLongerThanAReaderCanHoldInTheirHead() {
    List<String> found = new ArrayList<>();
    for (Path file : mainSources()) {
      String[] lines = read(file).split("\n", -1);
      for (int i = 0; i < lines.length; i++) {
        Matcher m = SIGNATURE.matcher(lines[i]);
        if (!m.find() || NOT_A_METHOD.matcher(lines[i]).find() || lines[i].split("\\(")[0].contains("=")) {
          continue;
        }
        int open = i;
        while (open < lines.length && !lines[open].contains("{") && !lines[open].strip().endsWith(";")) {
          open++;
        }
        if (open == lines.length || lines[open].strip().endsWith(";") || count(lines[open], '{') == count(lines[open], '}')) {
          i = open;
          continue;
        }
        int indent = m.group(1).length();
        int end = open + 1;
        while (end < lines.length && !(leading(lines[end]) == indent && lines[end].startsWith("}", indent))) {
          end++;
        }
        int length = end - i + 1;
        if (length > MAX_METHOD_LINES) {
          found.add(REPO.relativize(file) + ":" + (i + 1) + " " + m.group(2) + ": " + length + " lines");
        }
        i = open;
      }
    }
    assertThat(found).as("methods over " + MAX_METHOD_LINES + " lines; split them into named steps").isEmpty();
  }

  private static List<Path> mainSources() {
    List<Path> files = new ArrayList<>();
    for (String module : MODULES) {
      Path root = REPO.resolve(module).resolve("src/main/java");
      if (!Files.isDirectory(root)) {
        continue;
      }
      try (Stream<Path> walk = Files.walk(root)) {
        walk.filter(p -> p.toString().endsWith(".java")).sorted().forEach(files::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    assertThat(files).as("main sources under " + REPO).hasSizeGreaterThan(100);
    return files;
  }

  /** {@code java} with its comments blanked, its line count kept. */
  static String withoutComments(String java) {
    StringBuilder out = new StringBuilder(java.length());
    int i = 0;
    while (i < java.length()) {
      char c = java.charAt(i);
      if (c == '"') {
        int end = i + 1;
        while (end < java.length() && java.charAt(end) != '"' && java.charAt(end) != '\n') {
          end += java.charAt(end) == '\\' ? 2 : 1;
        }
        out.append(java, i, Math.min(end + 1, java.length()));
        i = end + 1;
      } else if (java.startsWith("//", i)) {
        while (i < java.length() && java.charAt(i) != '\n') {
          i++;
        }
      } else if (java.startsWith("/*", i)) {
        int end = java.indexOf("*/", i + 2);
        end = end < 0 ? java.length() : end + 2;
        java.substring(i, end).chars().filter(ch -> ch == '\n').forEach(ch -> out.append('\n'));
        i = end;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private static int leading(String line) {
    int n = 0;
    while (n < line.length() && line.charAt(n) == ' ') {
      n++;
    }
    return n;
  }

  private static int count(String s, char c) {
    return (int) s.chars().filter(x -> x == c).count();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
