package dev.mlops.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

class TablePrinterTest {

  @Test
  void rendersAlignedColumnsWithNullsAndIsoTimestamps() {
    String table = TablePrinter.render(new String[] {"id", "when", "note"}, List.of(
        RowFactory.create(1L, Timestamp.from(Instant.parse("2026-11-01T10:00:00Z")), null),
        RowFactory.create(22L, null, "x".repeat(80))));
    assertThat(table.split("\n")).containsExactly(
        "+----+----------------------+--------------------------------------------------------------+",
        "| id | when                 | note                                                         |",
        "+----+----------------------+--------------------------------------------------------------+",
        "| 1  | 2026-11-01T10:00:00Z | NULL                                                         |",
        "| 22 | NULL                 | " + "x".repeat(57) + "... |",
        "+----+----------------------+--------------------------------------------------------------+");
  }

  @Test
  void nestedValuesBecomeJson() {
    assertThat(Values.text(scala.jdk.javaapi.CollectionConverters.asScala(List.of(1, 2)).toSeq())).isEqualTo("[1,2]");
  }
}
