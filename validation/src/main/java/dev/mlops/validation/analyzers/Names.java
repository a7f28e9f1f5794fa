package dev.mlops.validation.analyzers;

/** Column names in SQL text. */
public final class Names {
  private Names() {}

  /** {@code name} quoted with backticks, for names with dots, spaces or keywords. */
  public static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }
}
