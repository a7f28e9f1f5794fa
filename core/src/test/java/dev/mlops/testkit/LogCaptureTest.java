package dev.mlops.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.junit.jupiter.api.Test;

/** The capture sees what is logged while open and leaves every logger's level as it found it. */
class LogCaptureTest {
  private static final String INHERITS = "dev.mlops.testkit.inherits";

  static LoggerContext context() {
    return (LoggerContext) LogManager.getContext(false);
  }

  /** Each configured logger's own level (null: inherited) and every logger's effective level. */
  static Map<String, String> levels(String... loggers) {
    Configuration config = context().getConfiguration();
    Map<String, String> out = new LinkedHashMap<>();
    out.put("root config", String.valueOf(config.getRootLogger().getExplicitLevel()));
    config.getLoggers().forEach((name, lc) -> out.put("config " + name, String.valueOf(lc.getExplicitLevel())));
    for (String name : loggers) {
      out.put("logger " + name, String.valueOf(LogManager.getLogger(name).getLevel()));
    }
    return out;
  }

  @Test
  void closingRestoresEachLoggersOwnLevelAndAnInheritedOneStaysInherited() {
    Configuration config = context().getConfiguration();
    Level mlops = config.getLoggerConfig("dev.mlops").getExplicitLevel();
    config.addLogger(INHERITS, new LoggerConfig(INHERITS, null, true));
    context().updateLoggers();
    try {
      String[] loggers = {"dev.mlops.core.Anything", INHERITS, "org.apache.spark.Anything"};
      Map<String, String> before = levels(loggers);
      assertThat(before).as("the test's log4j2-test.properties: dev.mlops at info under a root at error")
          .containsEntry("logger dev.mlops.core.Anything", "INFO").containsEntry("logger org.apache.spark.Anything", "ERROR")
          .containsEntry("config " + INHERITS, "null").containsEntry("logger " + INHERITS, "INFO");
      try (LogCapture logs = LogCapture.at(Level.DEBUG)) {
        assertThat(levels(loggers)).as("while capturing, all at debug").containsEntry("logger dev.mlops.core.Anything", "DEBUG")
            .containsEntry("logger org.apache.spark.Anything", "DEBUG").containsEntry("logger " + INHERITS, "DEBUG");
        LogManager.getLogger("org.apache.spark.Anything").debug("seen at debug");
        assertThat(logs.lines()).contains("org.apache.spark.Anything: seen at debug");
      }
      assertThat(levels(loggers)).as("after closing, every level as before").isEqualTo(before);
      config.getLoggerConfig("dev.mlops").setLevel(Level.WARN);
      context().updateLoggers();
      assertThat(LogManager.getLogger(INHERITS).getLevel()).as("the inherited level still follows its parent")
          .isEqualTo(Level.WARN);
    } finally {
      config.getLoggerConfig("dev.mlops").setLevel(mlops);
      config.removeLogger(INHERITS);
      context().updateLoggers();
    }
  }
}
