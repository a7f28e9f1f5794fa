package dev.mlops.core.demo;

import java.util.Iterator;
import java.util.SplittableRandom;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Turns transaction indexes into transactions. Each row depends only on the seed and its index,
 * so the output is the same however Spark splits the work. Times are epoch seconds here; the
 * generator turns them into timestamps.
 */
final class TransactionGenerator implements MapPartitionsFunction<Long, Row> {
  private static final long serialVersionUID = 1L;
  private static final double[] HOURS = Rng.cumulative(
      0.3, 0.2, 0.15, 0.1, 0.1, 0.2, 0.5, 1.0, 1.5, 1.7, 1.8, 2.0,
      2.2, 2.0, 1.8, 1.8, 1.9, 2.1, 2.3, 2.2, 1.9, 1.5, 1.0, 0.6);
  /** Rate of each kind of planted bad row (negative amount, missing customer, unknown currency). */
  static final double PLANTED_RATE = 1e-5;
  /**
   * Chance that a transaction is fraud from the drift date on, when the spec changes the fraud
   * pattern there ({@link DemoDataSpec#fraudChangesAtDrift()}), whatever its customer, merchant,
   * hour or channel: card numbers stolen in a breach used at random, for ordinary amounts.
   */
  static final double FRAUD_RATE_AFTER_DRIFT = 0.02;

  static final StructType SCHEMA = new StructType()
      .add("transaction_id", DataTypes.LongType, false)
      .add("customer_id", DataTypes.LongType, true)
      .add("merchant_id", DataTypes.LongType, false)
      .add("amount", DataTypes.DoubleType, false)
      .add("currency", DataTypes.StringType, false)
      .add("channel", DataTypes.StringType, false)
      .add("merchant_category", DataTypes.StringType, false)
      .add("country", DataTypes.StringType, false)
      .add("event_s", DataTypes.LongType, false)
      .add("ingested_s", DataTypes.LongType, false)
      .add("day", DataTypes.IntegerType, false)
      .add("is_fraud", DataTypes.BooleanType, false)
      .add("reported_s", DataTypes.LongType, true)
      .add("fraud_type", DataTypes.StringType, true);

  private final DemoDataSpec spec;
  private final Merchants merchants;
  private final double[] regularWeights;
  private final double[] driftWeights;

  TransactionGenerator(DemoDataSpec spec, Merchants merchants) {
    this.spec = spec;
    this.merchants = merchants;
    double[] regular = new double[Category.values().length];
    double[] drift = new double[Category.values().length];
    for (Category c : Category.values()) {
      regular[c.ordinal()] = c.weight;
      drift[c.ordinal()] = c == Category.CRYPTO_EXCHANGE ? Category.CRYPTO_SHARE_AFTER_DRIFT : c.weight;
    }
    this.regularWeights = Rng.cumulative(regular);
    this.driftWeights = Rng.cumulative(drift);
  }

  @Override
  public Iterator<Row> call(Iterator<Long> indexes) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return indexes.hasNext();
      }

      @Override
      public Row next() {
        return generate(indexes.next());
      }
    };
  }

  Row generate(long i) {
    long n = spec.transactions();
    SplittableRandom r = Rng.of(spec.seed(), Rng.TRANSACTIONS, i);
    int day = (int) (i * spec.days() / n);
    boolean drifted = day >= spec.driftDay();
    int hour = Rng.pick(r, HOURS);
    long eventS = (spec.start().toEpochDay() + day) * 86_400L + hour * 3600L + r.nextInt(3600);
    long ingestedS = eventS + 1 + (long) (-30 * Math.log(1 - r.nextDouble()));

    long customerId = 1 + (long) Math.min(spec.customers() - 1, Math.floor(spec.customers() * Math.pow(r.nextDouble(), 1.25)));
    Customer customer = Customer.of(spec.seed(), customerId, spec.start());
    Category category = Category.values()[Rng.pick(r, drifted ? driftWeights : regularWeights)];
    Merchants.Merchant merchant = merchants.get(merchants.pick(category, r));
    boolean online = r.nextDouble() < category.onlineShare;
    boolean night = hour < 6;
    boolean crossBorder = merchant.country() != customer.homeCountry();

    double z = -5.6 + customer.risk() + merchant.risk() + (online ? 0.9 : 0) + (night ? 0.9 : 0) + (crossBorder ? 0.7 : 0);
    // From the drift date the fraud changes its pattern (a concept drift): the risks and the
    // large amounts that tell it apart before no longer do, so a model trained before it degrades.
    boolean fraudChanged = drifted && spec.fraudChangesAtDrift();
    boolean fraud = r.nextDouble() < (fraudChanged ? FRAUD_RATE_AFTER_DRIFT : 1 / (1 + Math.exp(-z)));
    double logAmount = category.logAmountMean + Math.log(customer.spendLevel()) + 0.7 * Rng.gaussian(r)
        + (drifted ? 0.35 : 0) + (fraud && !fraudChanged ? 1.0 + 0.5 * Rng.gaussian(r) : 0);
    double amount = Math.max(0.5, Math.round(Math.exp(logAmount) * 100) / 100.0);

    Long reportedS = null;
    String fraudType = null;
    if (fraud) {
      double delayDays = Math.min(DemoData.MAX_REPORT_DELAY_DAYS, 0.5 + Math.exp(Math.log(3) + 0.6 * Rng.gaussian(r)));
      reportedS = eventS + (long) (delayDays * 86_400);
      fraudType = online ? "card_not_present" : crossBorder ? "skimming" : "stolen_card";
    }

    double planted = Rng.uniform(spec.seed(), Rng.PLANTED, i);
    Long customerCol = customerId;
    String currency = merchant.country().currency;
    if (planted < PLANTED_RATE) {
      amount = -amount;
    } else if (planted < 2 * PLANTED_RATE) {
      customerCol = null;
    } else if (planted < 3 * PLANTED_RATE) {
      currency = "XXX";
    }
    return RowFactory.create(i + 1, customerCol, merchant.id(), amount, currency, online ? "online" : "pos",
        category.label, merchant.country().name(), eventS, ingestedS, day, fraud, reportedS, fraudType);
  }
}
