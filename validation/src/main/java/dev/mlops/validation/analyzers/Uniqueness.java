package dev.mlops.validation.analyzers;

import java.util.List;

/**
 * The share of rows whose key (the columns together, nulls included) occurs in no other row,
 * over all rows; a row whose key columns are all null is not unique. As in Deequ. Exact: it needs a group-by, the one
 * pass besides the shared pass, shared by every uniqueness analyzer of a run; see
 * {@code AnalysisRunner}.
 */
public record Uniqueness(List<String> columns) implements Analyzer {
  private static final long serialVersionUID = 1L;

  public Uniqueness {
    columns = List.copyOf(columns);
  }

  @Override
  public String name() {
    return "uniqueness";
  }

  @Override
  public String column() {
    return String.join(",", columns);
  }

  @Override
  public List<String> inputs() {
    return columns;
  }
}
