package dev.mlops.core.tables;

import dev.mlops.core.PlatformException;

/** User-facing errors about platform tables: each says what is wrong and how to fix it. */
public final class TableErrors {
  private TableErrors() {}

  /** A table that a job needs does not exist. */
  public static PlatformException missing(TableName table) {
    return new PlatformException("Table " + table + " does not exist in the warehouse; run the job that"
        + " creates it first (see `mlops sql \"SHOW TABLES IN " + table.database() + "\"`)");
  }
}
