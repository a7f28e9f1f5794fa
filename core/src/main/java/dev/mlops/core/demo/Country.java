package dev.mlops.core.demo;

/** Countries of customers and merchants, with their shares and currencies. */
enum Country {
  US(0.70, "USD"), GB(0.10, "GBP"), DE(0.08, "EUR"), FR(0.07, "EUR"), ES(0.05, "EUR");

  private static final double[] CUMULATIVE = Rng.cumulative(0.70, 0.10, 0.08, 0.07, 0.05);

  final double share;
  final String currency;

  Country(double share, String currency) {
    this.share = share;
    this.currency = currency;
  }

  static Country pick(java.util.SplittableRandom r) {
    return values()[Rng.pick(r, CUMULATIVE)];
  }
}
