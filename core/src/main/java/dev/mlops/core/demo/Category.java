package dev.mlops.core.demo;

/** A merchant category of the demo world: its share of spend, typical amount, risk and channel. */
enum Category {
  GROCERY("grocery", 0.26, 3.4, -0.6, 0.05),
  RESTAURANTS("restaurants", 0.18, 3.2, -0.4, 0.10),
  FUEL("fuel", 0.12, 3.8, -0.3, 0.0),
  PHARMACY("pharmacy", 0.07, 3.3, -0.5, 0.05),
  ONLINE_RETAIL("online_retail", 0.16, 4.0, 0.5, 1.0),
  ELECTRONICS("electronics", 0.07, 5.2, 0.8, 0.4),
  TRAVEL("travel", 0.06, 5.8, 0.4, 0.6),
  GAMING("gaming", 0.05, 3.0, 0.7, 1.0),
  JEWELRY("jewelry", 0.03, 5.5, 1.0, 0.2),
  /** Appears only from the drift date on. */
  CRYPTO_EXCHANGE("crypto_exchange", 0.0, 5.0, 1.4, 1.0);

  /** Share of transactions that go to the new category after the drift. */
  static final double CRYPTO_SHARE_AFTER_DRIFT = 0.08;

  final String label;
  final double weight;
  final double logAmountMean;
  final double risk;
  final double onlineShare;

  Category(String label, double weight, double logAmountMean, double risk, double onlineShare) {
    this.label = label;
    this.weight = weight;
    this.logAmountMean = logAmountMean;
    this.risk = risk;
    this.onlineShare = onlineShare;
  }

  static final Category[] REGULAR = {
    GROCERY, RESTAURANTS, FUEL, PHARMACY, ONLINE_RETAIL, ELECTRONICS, TRAVEL, GAMING, JEWELRY
  };
}
