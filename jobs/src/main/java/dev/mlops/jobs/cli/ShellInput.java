package dev.mlops.jobs.cli;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.jline.reader.EOFError;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * Where the {@code mlops sql} shell reads from: a terminal, with JLine's line editing, a statement
 * edited over several lines as one entry, and a history file; or any stream (a pipe, a file),
 * line by line, without prompts, remembering what it ran in the history file when one is given.
 * Not thread-safe.
 */
interface ShellInput extends Closeable {
  /** The next line (or, on a terminal, the next whole entry), or null at the end of the input. */
  String read(String prompt) throws IOException;

  /** Adds {@code entry} to the history, when this input keeps one and does not do so itself. */
  void remember(String entry);

  /** Lines of {@code in}; the history goes to {@code history} if it is not null. */
  static ShellInput stream(InputStream in, Path history) throws IOException {
    return new StreamInput(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)),
        history == null ? null : historyReader(dumb(), history));
  }

  /** A line editor on {@code terminal}, with its history in {@code history}. */
  static ShellInput terminal(Terminal terminal, Path history) {
    if (terminal.getWidth() <= 0) {
      terminal.setSize(new org.jline.terminal.Size(80, 24)); // a terminal that reports no size (script, some IDEs)
    }
    return new TerminalInput(historyReader(terminal, history), terminal);
  }

  /** The process's own terminal. */
  static Terminal systemTerminal() throws IOException {
    return TerminalBuilder.builder().system(true).name("mlops sql").build();
  }

  private static Terminal dumb() throws IOException {
    return TerminalBuilder.builder().system(false).dumb(true)
        .streams(InputStream.nullInputStream(), OutputStream.nullOutputStream()).build();
  }

  private static LineReader historyReader(Terminal terminal, Path history) {
    LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("mlops sql").parser(new StatementParser())
        .variable(LineReader.HISTORY_FILE, history)
        .variable(LineReader.SECONDARY_PROMPT_PATTERN, SqlShell.CONTINUATION)
        .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
        .option(LineReader.Option.HISTORY_TIMESTAMPED, false)
        .build();
    reader.getHistory().attach(reader);
    return reader;
  }

  /** Lines of a stream; prompts are not printed. */
  record StreamInput(BufferedReader lines, LineReader history) implements ShellInput {
    @Override
    public String read(String prompt) throws IOException {
      return lines.readLine();
    }

    @Override
    public void remember(String entry) {
      if (history != null) {
        history.getHistory().add(entry);
      }
    }

    @Override
    public void close() throws IOException {
      if (history != null) {
        history.getHistory().save();
        history.getTerminal().close();
      }
    }
  }

  /** JLine on a terminal: it keeps the history itself. */
  record TerminalInput(LineReader reader, Terminal terminal) implements ShellInput {
    @Override
    public String read(String prompt) {
      while (true) {
        try {
          return reader.readLine(prompt);
        } catch (UserInterruptException e) {
          // Ctrl-C drops the line being edited, as in psql.
        } catch (EndOfFileException e) {
          return null;
        }
      }
    }

    @Override
    public void remember(String entry) {
      // JLine adds every accepted entry itself.
    }

    @Override
    public void close() throws IOException {
      reader.getHistory().save();
      terminal.close();
    }
  }

  /** Keeps a statement that no {@code ;} ends open: Enter then starts its next line. */
  final class StatementParser extends DefaultParser {
    @Override
    public ParsedLine parse(String line, int cursor, ParseContext context) {
      String text = line.strip();
      if (context == ParseContext.ACCEPT_LINE && !text.startsWith("\\")
          && !SqlScript.isBlank(SqlScript.split(line).rest())) {
        throw new EOFError(-1, -1, "statement not ended by ;");
      }
      return super.parse(line, cursor, context);
    }
  }
}
