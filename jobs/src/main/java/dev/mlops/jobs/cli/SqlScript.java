package dev.mlops.jobs.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits SQL text into statements on {@code ;} outside quotes ({@code '...'}, {@code "..."},
 * {@code `...`}, with backslash escapes inside quotes as Spark reads them) and comments
 * ({@code -- ...} to the end of the line, {@code /* ... *}{@code /}). Stateless and thread-safe.
 */
final class SqlScript {
  private SqlScript() {}

  /**
   * The complete statements of {@code text} (trimmed, empty ones and comment-only ones left out),
   * each with the line it starts on, and what follows the last {@code ;}: the start of a statement
   * not ended yet (blank when there is none).
   */
  record Split(List<Statement> statements, String rest) {}

  /** A statement and the 1-based line of {@code text} it starts on. */
  record Statement(String sql, int line) {
    /** Its first line, for messages. */
    String firstLine() {
      return sql.lines().findFirst().orElse("");
    }
  }

  /** Every statement of a whole file: the text after the last {@code ;} counts as one too. */
  static List<Statement> statements(String text) {
    Split split = split(text);
    List<Statement> all = new ArrayList<>(split.statements());
    Statement last = statement(split.rest(), lineAt(text, text.length() - split.rest().length()));
    if (last != null) {
      all.add(last);
    }
    return all;
  }

  /** The statements ended by a {@code ;} in {@code text}, and the rest. */
  static Split split(String text) {
    List<Statement> statements = new ArrayList<>();
    int start = 0;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '\'' || c == '"' || c == '`') {
        i = endOfQuote(text, i);
      } else if (c == '-' && text.startsWith("--", i)) {
        int nl = text.indexOf('\n', i);
        i = nl < 0 ? text.length() : nl + 1;
      } else if (c == '/' && text.startsWith("/*", i)) {
        int end = text.indexOf("*/", i + 2);
        i = end < 0 ? text.length() : end + 2;
      } else if (c == ';') {
        Statement s = statement(text.substring(start, i), lineAt(text, start));
        if (s != null) {
          statements.add(s);
        }
        start = ++i;
      } else {
        i++;
      }
    }
    return new Split(statements, text.substring(start));
  }

  /** Whether {@code text} holds nothing but blanks and comments. */
  static boolean isBlank(String text) {
    return stripComments(text).isBlank();
  }

  private static Statement statement(String raw, int line) {
    if (isBlank(raw)) {
      return null;
    }
    int lead = 0;
    while (lead < raw.length() && Character.isWhitespace(raw.charAt(lead))) {
      if (raw.charAt(lead) == '\n') {
        line++;
      }
      lead++;
    }
    return new Statement(raw.strip(), line);
  }

  private static int endOfQuote(String text, int open) {
    char q = text.charAt(open);
    int i = open + 1;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '\\' && q != '`') {
        i += 2;
      } else if (c == q) {
        return i + 1;
      } else {
        i++;
      }
    }
    return text.length();
  }

  private static String stripComments(String text) {
    StringBuilder kept = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      if (text.startsWith("--", i)) {
        int nl = text.indexOf('\n', i);
        i = nl < 0 ? text.length() : nl + 1;
      } else if (text.startsWith("/*", i)) {
        int end = text.indexOf("*/", i + 2);
        i = end < 0 ? text.length() : end + 2;
      } else {
        char c = text.charAt(i);
        int next = c == '\'' || c == '"' || c == '`' ? endOfQuote(text, i) : i + 1;
        kept.append(text, i, next);
        i = next;
      }
    }
    return kept.toString();
  }

  private static int lineAt(String text, int offset) {
    int line = 1;
    for (int i = 0; i < offset && i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }
}
