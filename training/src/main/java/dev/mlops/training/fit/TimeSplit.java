package dev.mlops.training.fit;

import static org.apache.spark.sql.functions.lit;

import dev.mlops.core.config.Problems;
import dev.mlops.core.spark.Identifiers;
import dev.mlops.core.tables.Json;
import dev.mlops.training.spec.ModelSpec.SplitSpec;
import dev.mlops.training.spec.ModelSpecLoader.LoadedSpec;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The split of a training set by event time, never at random across time: rows before
 * {@code trainEnd} train, rows before {@code validationEnd} choose among the candidates (and the
 * threshold), the rest test.
 *
 * @param timeColumn the event-time column
 * @param trainEnd first instant of the validation split
 * @param validationEnd first instant of the test split
 */
public record TimeSplit(String timeColumn, Instant trainEnd, Instant validationEnd) {
  /** The three splits' names. */
  public enum Part { TRAIN, VALIDATION, TEST }

  /**
   * The split a spec asks for over {@code rows}: its dates as written, or its fractions of the
   * rows' time range (in microseconds, so the same rows always give the same instants).
   */
  public static TimeSplit resolve(LoadedSpec spec, Dataset<Row> rows) {
    SplitSpec s = spec.spec().split();
    String time = spec.spec().spine().eventTime();
    if (s.fractions() == null) {
      Problems problems = spec.problems();
      Instant train = instant(spec, "split.train-end", s.trainEnd(), problems);
      Instant validation = instant(spec, "split.validation-end", s.validationEnd(), problems);
      problems.throwIfAny();
      if (!train.isBefore(validation)) {
        throw spec.error("split", "train-end " + train + " must come before validation-end " + validation);
      }
      return new TimeSplit(time, train, validation);
    }
    Row range = rows.selectExpr("min(unix_micros(CAST(" + Identifiers.quote(time) + " AS timestamp)))",
        "max(unix_micros(CAST(" + Identifiers.quote(time) + " AS timestamp)))").first();
    if (range.isNullAt(0)) {
      throw spec.error("spine", "has no rows with an event time; nothing to train on");
    }
    long min = range.getLong(0);
    long max = range.getLong(1) + 1;
    long span = max - min;
    long trainMicros = min + Math.round(span * s.fractions().get("train"));
    long validationMicros = min + Math.round(span * (s.fractions().get("train") + s.fractions().get("validation")));
    return new TimeSplit(time, micros(trainMicros), micros(validationMicros));
  }

  /** The split recorded as {@link #json()}. */
  public static TimeSplit fromJson(String json) {
    try {
      var node = Json.mapper().readTree(json);
      return new TimeSplit(node.path("time_column").asText(), Instant.parse(node.path("train_end").asText()),
          Instant.parse(node.path("validation_end").asText()));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("not a recorded split: " + json, e);
    }
  }

  /** The rows of {@code part}. */
  public Dataset<Row> part(Dataset<Row> rows, Part part) {
    Column t = Identifiers.column(timeColumn).cast("timestamp");
    Column train = lit(Timestamp.from(trainEnd));
    Column validation = lit(Timestamp.from(validationEnd));
    return switch (part) {
      case TRAIN -> rows.where(t.lt(train));
      case VALIDATION -> rows.where(t.geq(train).and(t.lt(validation)));
      case TEST -> rows.where(t.geq(validation));
    };
  }

  /** What the registry records: the time column, the two cut instants, and the rows per split. */
  public String json(Map<String, Long> rowsPerPart) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("time_column", timeColumn);
    m.put("train_end", trainEnd.toString());
    m.put("validation_end", validationEnd.toString());
    m.put("rows", rowsPerPart);
    return Json.write(m);
  }

  /** {@link #json(Map)} without row counts. */
  public String json() {
    return json(Map.of());
  }

  private static Instant micros(long micros) {
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
  }

  /** {@code text} as an instant; null, with the problem added, when it is neither a date nor an instant. */
  private static Instant instant(LoadedSpec spec, String key, String text, Problems problems) {
    try {
      return text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(text);
    } catch (DateTimeParseException e) {
      problems.add(spec.at(key), "expected a date (2026-11-01) or an instant (2026-11-01T06:00:00Z), got \"" + text + "\"");
      return null;
    }
  }
}
