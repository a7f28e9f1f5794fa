package dev.mlops.core;

/**
 * A failure a user can fix: bad input, a missing table, a refused operation. Its message names
 * the file, table, column or key at fault and says how to fix it; the CLI prints it without a
 * stack trace and exits non-zero.
 */
public class PlatformException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PlatformException(String message) {
    super(message);
  }

  public PlatformException(String message, Throwable cause) {
    super(message, cause);
  }
}
