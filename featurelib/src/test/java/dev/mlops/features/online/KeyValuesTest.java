package dev.mlops.features.online;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.features.ValueType;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Join key values given to the online store, as text from the command line or typed from Java,
 * read as the key's type: they must encode as the sync encoded the Spark value it wrote, or be
 * refused.
 */
class KeyValuesTest {
  static Optional<String> key(ValueType type, Object given) {
    return KeyValues.typed(type, given).map(ValueCodec::encode);
  }

  @Test
  void textOfEachKeyTypeEncodesAsTheSyncEncodedTheSparkValue() {
    assertThat(key(ValueType.BIGINT, "42")).contains(ValueCodec.encode(42L));
    assertThat(key(ValueType.BIGINT, "007")).as("the number, not the text").contains("7");
    assertThat(key(ValueType.BIGINT, 42)).as("an Integer for a bigint key").contains("42");
    assertThat(key(ValueType.INT, "-3")).contains(ValueCodec.encode(-3));
    assertThat(key(ValueType.STRING, "eu:west 1")).contains("eu:west 1");
    assertThat(key(ValueType.DATE, "2026-11-01")).contains(ValueCodec.encode(Date.valueOf("2026-11-01")));
    assertThat(key(ValueType.DATE, LocalDate.of(2026, 11, 1))).contains("2026-11-01");
    Instant t = Instant.parse("2026-11-01T08:00:00.123456Z");
    assertThat(key(ValueType.TIMESTAMP, "2026-11-01T08:00:00.123456Z")).contains(ValueCodec.encode(Timestamp.from(t)));
    assertThat(key(ValueType.BOOLEAN, "TRUE")).contains("true");
    assertThat(key(ValueType.DOUBLE, "0.5")).contains("0.5");
  }

  @Test
  void aValueNotOfTheKeysTypeHasNoEncoding() {
    assertThat(key(ValueType.BIGINT, "abc")).isEmpty();
    assertThat(key(ValueType.BIGINT, "1.5")).isEmpty();
    assertThat(key(ValueType.BIGINT, "")).isEmpty();
    assertThat(key(ValueType.BIGINT, 1.5)).as("a Double for a bigint key").isEmpty();
    assertThat(key(ValueType.INT, "3000000000")).as("beyond int").isEmpty();
    assertThat(key(ValueType.INT, 3_000_000_000L)).as("beyond int").isEmpty();
    assertThat(key(ValueType.STRING, 7L)).as("a Long for a string key").isEmpty();
    assertThat(key(ValueType.DATE, "2026-13-01")).isEmpty();
    assertThat(key(ValueType.DATE, "01/11/2026")).isEmpty();
    assertThat(key(ValueType.DATE, 20261101L)).isEmpty();
    assertThat(key(ValueType.TIMESTAMP, "2026-11-01")).as("a date for a timestamp key").isEmpty();
    assertThat(key(ValueType.BOOLEAN, "yes")).isEmpty();
  }
}
