package dev.mlops.testkit;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Captures every log line (message and stack trace) of the JVM at {@code level} or above while
 * open, for tests that prove something is never logged. Closing it puts every logger's level back
 * as it was, an inherited level included.
 */
public final class LogCapture implements AutoCloseable {
  private final List<String> lines = new ArrayList<>();
  private final Appender appender = new Appender();
  /** Each logger config's own level before, null where it inherited its parent's: what close restores. */
  private final Map<LoggerConfig, Level> previous = new IdentityHashMap<>();

  private LogCapture(Level level) {
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    Configuration config = ctx.getConfiguration();
    LoggerConfig root = config.getRootLogger();
    previous.put(root, root.getExplicitLevel());
    for (LoggerConfig lc : config.getLoggers().values()) {
      previous.putIfAbsent(lc, lc.getExplicitLevel());
    }
    appender.start();
    root.addAppender(appender, level, null);
    for (LoggerConfig lc : previous.keySet()) {
      lc.setLevel(level);
    }
    ctx.updateLoggers();
  }

  /** Starts capturing at {@code level}. */
  public static LogCapture at(Level level) {
    return new LogCapture(level);
  }

  /** Everything captured so far. */
  public synchronized List<String> lines() {
    return List.copyOf(lines);
  }

  @Override
  public void close() {
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    LoggerConfig root = ctx.getConfiguration().getRootLogger();
    root.removeAppender(appender.getName());
    previous.forEach(LoggerConfig::setLevel);
    ctx.updateLoggers();
    appender.stop();
  }

  private final class Appender extends AbstractAppender {
    Appender() {
      super("test-capture-" + System.identityHashCode(LogCapture.this), null, null, true, Property.EMPTY_ARRAY);
    }

    @Override
    public void append(LogEvent event) {
      StringBuilder sb = new StringBuilder(event.getLoggerName()).append(": ").append(event.getMessage().getFormattedMessage());
      if (event.getThrown() != null) {
        StringWriter sw = new StringWriter();
        event.getThrown().printStackTrace(new PrintWriter(sw));
        sb.append('\n').append(sw);
      }
      synchronized (LogCapture.this) {
        lines.add(sb.toString());
      }
    }
  }
}
