package dev.mlops.monitoring.report;

/** Escaping of text from data for HTML and SVG, in element content and attribute values alike. */
final class Html {
  private Html() {}

  /** {@code s} with {@code & < > " '} escaped; the empty string for null. */
  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        case '\n' -> b.append("&#10;");
        default -> b.append(c < 0x20 && c != '\t' ? ' ' : c);
      }
    }
    return b.toString();
  }

  /** {@code s} cut to {@code max} characters with an ellipsis, for labels whose full text goes in a title. */
  static String shorten(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "\u2026";
  }
}
