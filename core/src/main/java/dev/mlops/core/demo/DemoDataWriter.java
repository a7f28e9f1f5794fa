package dev.mlops.core.demo;

import dev.mlops.core.runs.JobRun;
import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.TableVersion;
import dev.mlops.core.tables.Warehouse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Writes the demo's raw tables ({@code raw.customers}, {@code raw.merchants},
 * {@code raw.transactions} partitioned by {@code date}, {@code raw.fraud_labels} partitioned by
 * {@code report_date}) and summarises them. Re-running replaces each table whole, in one Delta
 * commit per table. Thread-safe as far as the session is.
 */
public final class DemoDataWriter {
  public static final TableName CUSTOMERS = TableName.parse("raw.customers");
  public static final TableName MERCHANTS = TableName.parse("raw.merchants");
  public static final TableName TRANSACTIONS = TableName.parse("raw.transactions");
  public static final TableName FRAUD_LABELS = TableName.parse("raw.fraud_labels");

  private final Warehouse warehouse;

  public DemoDataWriter(Warehouse warehouse) {
    this.warehouse = warehouse;
  }

  /** Generates and writes every raw table of {@code spec}, recording the outputs in {@code run}. */
  public DemoDataSummary write(DemoDataSpec spec, JobRun run, Consumer<String> progress) {
    DemoData data = new DemoData(warehouse.spark(), spec);
    List<TableVersion> written = new ArrayList<>();
    progress.accept("writing " + CUSTOMERS);
    written.add(overwrite(data.customers().coalesce(1), CUSTOMERS, run));
    progress.accept("writing " + MERCHANTS);
    written.add(overwrite(data.merchants().coalesce(1), MERCHANTS, run));
    progress.accept("writing " + TRANSACTIONS + " (" + spec.transactions() + " rows)");
    written.add(overwrite(data.transactions().repartition(org.apache.spark.sql.functions.col("date"))
        .sortWithinPartitions("transaction_id"), TRANSACTIONS, run, "date"));
    progress.accept("writing " + FRAUD_LABELS);
    written.add(overwrite(data.fraudLabels().repartition(org.apache.spark.sql.functions.col("report_date"))
        .sortWithinPartitions("transaction_id"), FRAUD_LABELS, run, "report_date"));
    return summarize(spec, written);
  }

  private TableVersion overwrite(Dataset<Row> df, TableName table, JobRun run, String... partitions) {
    TableVersion v = warehouse.write(df, table).partitionBy(partitions).overwriting(true)
        .commitInfo(run.commitInfo()).commit();
    run.output(v);
    return v;
  }

  /** Counts and drift figures of the tables as written. */
  public DemoDataSummary summarize(DemoDataSpec spec, List<TableVersion> written) {
    Row t = warehouse.read(written.get(2)).selectExpr(
        "count(*) AS n",
        "avg(CASE WHEN date < DATE'" + spec.driftDate() + "' THEN amount END) AS before",
        "avg(CASE WHEN date >= DATE'" + spec.driftDate() + "' THEN amount END) AS after",
        "avg(CASE WHEN date >= DATE'" + spec.driftDate() + "' THEN CAST(merchant_category = 'crypto_exchange' AS int) END) AS crypto",
        "sum(CAST(amount < 0 OR customer_id IS NULL OR currency = 'XXX' AS int)) AS planted").first();
    long labels = warehouse.read(written.get(3)).count();
    return new DemoDataSummary(spec, written, t.getLong(0), spec.customers(), warehouse.read(written.get(1)).count(),
        labels, t.getDouble(1), t.getDouble(2), t.getDouble(3), t.getLong(4));
  }
}
