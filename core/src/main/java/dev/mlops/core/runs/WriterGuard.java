package dev.mlops.core.runs;

/**
 * Admits the writing jobs of a process to its warehouse: {@link RunRecorder} enters it around every
 * run it records, and commands that write between runs (a pipeline recording its steps) around
 * their whole work. Entries nest: a process inside an entry enters again at no cost.
 */
@FunctionalInterface
public interface WriterGuard {
  /** Admits everyone: a warehouse whose storage arbitrates concurrent Delta commits itself. */
  WriterGuard NONE = job -> () -> { };

  /**
   * Enters for {@code job}; close the entry when its writes are over.
   *
   * @throws dev.mlops.core.PlatformException when another process is writing and this one may not
   */
  Entry enter(String job);

  /** One admission; closing it is idempotent per entry. */
  interface Entry extends AutoCloseable {
    @Override
    void close();
  }
}
