package dev.mlops.testkit;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.assertj.core.api.Assertions;

/**
 * Equality of DataFrames as multisets of rows, with a failure message that shows the rows only
 * one side has (up to 20 each) instead of two unreadable dumps.
 */
public final class DataFrameAssert {
  private DataFrameAssert() {}

  /** Asserts both frames have the same columns (by name) and the same rows, duplicates counted. */
  public static void assertSameRows(Dataset<Row> actual, Dataset<Row> expected) {
    assertSameRows("", actual, expected);
  }

  /** As {@link #assertSameRows(Dataset, Dataset)}, with a description for the failure. */
  public static void assertSameRows(String description, Dataset<Row> actual, Dataset<Row> expected) {
    List<String> actualCols = Arrays.stream(actual.columns()).sorted().toList();
    List<String> expectedCols = Arrays.stream(expected.columns()).sorted().toList();
    Assertions.assertThat(actualCols).as(description + " columns").isEqualTo(expectedCols);
    String[] order = expected.columns();
    Dataset<Row> a = actual.selectExpr(quoted(order));
    Dataset<Row> e = expected.selectExpr(quoted(order));
    List<Row> onlyActual = a.exceptAll(e).limit(20).collectAsList();
    List<Row> onlyExpected = e.exceptAll(a).limit(20).collectAsList();
    if (!onlyActual.isEmpty() || !onlyExpected.isEmpty()) {
      Assertions.fail(description + (description.isEmpty() ? "" : ": ") + "frames differ; columns "
          + String.join(", ", order) + "\n  only in actual (" + onlyActual.size() + (onlyActual.size() == 20 ? "+" : "")
          + "):\n" + render(onlyActual) + "\n  only in expected (" + onlyExpected.size()
          + (onlyExpected.size() == 20 ? "+" : "") + "):\n" + render(onlyExpected));
    }
  }

  private static String[] quoted(String[] cols) {
    return Arrays.stream(cols).map(c -> "`" + c.replace("`", "``") + "`").toArray(String[]::new);
  }

  private static String render(List<Row> rows) {
    return rows.stream().map(r -> "    " + r).collect(Collectors.joining("\n"));
  }
}
