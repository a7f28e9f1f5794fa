package dev.mlops.core.demo;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The demo's raw tables for one {@link DemoDataSpec}, as DataFrames: customers, merchants, card
 * transactions and fraud labels. The same spec gives the same rows, however the work is split.
 *
 * <ul>
 *   <li>{@code customers}: customer_id, segment, home_country, birth_year, credit_limit, signup_date.
 *   <li>{@code merchants}: merchant_id, merchant_name, category, country, onboarded_date.
 *   <li>{@code transactions}: transaction_id, customer_id, merchant_id, amount, currency, channel,
 *       merchant_category, country, event_ts, ingested_ts, date. From the drift date on, amounts
 *       shift up, a new merchant category appears and the fraud changes its pattern: it strikes
 *       at random, for ordinary amounts, so a model trained before then degrades. A few planted bad rows (about
 *       one in 100,000 each): a negative amount, a missing customer_id, currency {@code XXX}.
 *   <li>{@code fraud_labels}: one row per fraudulent transaction, reported 1 to 20 days after it
 *       (transaction_id, customer_id, merchant_id, fraud_type, reported_ts, report_date); only
 *       reports made before the end of the data are present, as on the last day.
 * </ul>
 *
 * <p>Thread-safe (immutable); the DataFrames are lazy.
 */
public final class DemoData {
  /**
   * The most days a fraud report arrives after its transaction: a day's labels are complete
   * (matured) this many days after its end.
   */
  public static final int MAX_REPORT_DELAY_DAYS = 20;

  private final SparkSession spark;
  private final DemoDataSpec spec;
  private final Merchants merchants;
  /** Spark partitions the customers and transactions are generated in; 0 to choose by size. */
  private final int slices;

  public DemoData(SparkSession spark, DemoDataSpec spec) {
    this(spark, spec, 0);
  }

  /**
   * As {@link #DemoData(SparkSession, DemoDataSpec)}, generating customers and transactions in
   * {@code slices} Spark partitions (0: chosen by size). The rows do not depend on it; tests use it
   * to prove so.
   */
  DemoData(SparkSession spark, DemoDataSpec spec, int slices) {
    if (slices < 0) {
      throw new IllegalArgumentException("slices must be >= 0 (0: chosen by size), got " + slices);
    }
    this.spark = spark;
    this.spec = spec;
    this.merchants = Merchants.of(spec);
    this.slices = slices;
  }

  /** The spec. */
  public DemoDataSpec spec() {
    return spec;
  }

  /** One row per customer. */
  public Dataset<Row> customers() {
    StructType schema = new StructType()
        .add("customer_id", DataTypes.LongType, false)
        .add("segment", DataTypes.StringType, false)
        .add("home_country", DataTypes.StringType, false)
        .add("birth_year", DataTypes.IntegerType, false)
        .add("credit_limit", DataTypes.DoubleType, false)
        .add("signup_day", DataTypes.LongType, false);
    MapPartitionsFunction<Long, Row> toCustomer = customerGenerator(spec.seed(), spec.start());
    return spark.range(1, spec.customers() + 1L, 1, slices > 0 ? slices : 2)
        .mapPartitions(toCustomer, Encoders.row(schema))
        .withColumn("signup_date", expr("date_from_unix_date(cast(signup_day AS int))"))
        .drop("signup_day");
  }

  private static MapPartitionsFunction<Long, Row> customerGenerator(long seed, java.time.LocalDate start) {
    return ids -> new Iterator<>() {
      @Override
      public boolean hasNext() {
        return ids.hasNext();
      }

      @Override
      public Row next() {
        long id = ids.next();
        Customer c = Customer.of(seed, id, start);
        return RowFactory.create(id, c.segment(), c.homeCountry().name(), c.birthYear(), c.creditLimit(),
            c.signupDate().toEpochDay());
      }
    };
  }

  /** One row per merchant, the new category's included. */
  public Dataset<Row> merchants() {
    StructType schema = new StructType()
        .add("merchant_id", DataTypes.LongType, false)
        .add("merchant_name", DataTypes.StringType, false)
        .add("category", DataTypes.StringType, false)
        .add("country", DataTypes.StringType, false)
        .add("onboarded_day", DataTypes.LongType, false);
    List<Row> rows = new ArrayList<>();
    for (long id = 1; id <= merchants.size(); id++) {
      Merchants.Merchant m = merchants.get(id);
      rows.add(RowFactory.create(id, m.name(), m.category().label, m.country().name(), m.onboarded().toEpochDay()));
    }
    return spark.createDataFrame(rows, schema)
        .withColumn("onboarded_date", expr("date_from_unix_date(cast(onboarded_day AS int))"))
        .drop("onboarded_day");
  }

  /** Card transactions, with the planted bad rows. */
  public Dataset<Row> transactions() {
    return generated().select(
        col("transaction_id"), col("customer_id"), col("merchant_id"), col("amount"), col("currency"),
        col("channel"), col("merchant_category"), col("country"),
        expr("timestamp_seconds(event_s) AS event_ts"),
        expr("timestamp_seconds(ingested_s) AS ingested_ts"),
        expr("date_from_unix_date(cast(" + spec.start().toEpochDay() + " + day AS int)) AS date"));
  }

  /** Fraud reports known by the end of the data. */
  public Dataset<Row> fraudLabels() {
    long endS = spec.end().toEpochDay() * 86_400L;
    return generated()
        .where(col("is_fraud").and(col("reported_s").lt(endS)))
        .select(
            col("transaction_id"), col("customer_id"), col("merchant_id"), col("fraud_type"),
            expr("timestamp_seconds(reported_s) AS reported_ts"),
            expr("to_date(timestamp_seconds(reported_s)) AS report_date"));
  }

  private Dataset<Row> generated() {
    int n = slices > 0 ? slices : (int) Math.max(2, Math.min(64, spec.transactions() / 250_000));
    return spark.range(0, spec.transactions(), 1, n)
        .mapPartitions(new TransactionGenerator(spec, merchants), Encoders.row(TransactionGenerator.SCHEMA));
  }
}
