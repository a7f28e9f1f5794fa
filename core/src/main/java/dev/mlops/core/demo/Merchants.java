package dev.mlops.core.demo;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The demo's merchants: every category has some, the {@code crypto_exchange} ones are the last ids
 * and open on the drift date. Small enough to ship to every task.
 */
final class Merchants implements Serializable {
  private static final long serialVersionUID = 1L;

  /** One merchant. */
  record Merchant(long id, String name, Category category, Country country, LocalDate onboarded, double risk)
      implements Serializable {}

  private final Merchant[] byId;
  private final long[][] idsByCategory;

  private Merchants(Merchant[] byId, long[][] idsByCategory) {
    this.byId = byId;
    this.idsByCategory = idsByCategory;
  }

  static Merchants of(DemoDataSpec spec) {
    int total = spec.merchants();
    int crypto = Math.max(3, (int) Math.round(total * 0.04));
    int regular = total - crypto;
    double[] weights = new double[Category.REGULAR.length];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = Category.REGULAR[i].weight;
    }
    double[] cumulative = Rng.cumulative(weights);
    Merchant[] byId = new Merchant[total + 1];
    List<List<Long>> ids = new ArrayList<>();
    for (int i = 0; i < Category.values().length; i++) {
      ids.add(new ArrayList<>());
    }
    for (long id = 1; id <= total; id++) {
      SplittableRandom r = Rng.of(spec.seed(), Rng.MERCHANTS, id);
      Category category;
      LocalDate onboarded;
      if (id > regular) {
        category = Category.CRYPTO_EXCHANGE;
        onboarded = spec.driftDate();
      } else {
        // The first ids cover every category once, so that each has at least one merchant.
        category = id <= Category.REGULAR.length ? Category.REGULAR[(int) id - 1]
            : Category.REGULAR[Rng.pick(r, cumulative)];
        onboarded = spec.start().minusDays(30 + r.nextInt(2000));
      }
      Country country = Country.pick(r);
      double risk = category.risk + 0.6 * Rng.gaussian(r);
      String name = category.label.replace('_', ' ') + " #" + id;
      byId[(int) id] = new Merchant(id, name, category, country, onboarded, risk);
      ids.get(category.ordinal()).add(id);
    }
    long[][] idsByCategory = new long[ids.size()][];
    for (int i = 0; i < ids.size(); i++) {
      idsByCategory[i] = ids.get(i).stream().mapToLong(Long::longValue).toArray();
    }
    return new Merchants(byId, idsByCategory);
  }

  Merchant get(long id) {
    return byId[(int) id];
  }

  int size() {
    return byId.length - 1;
  }

  long pick(Category category, SplittableRandom r) {
    long[] ids = idsByCategory[category.ordinal()];
    return ids[r.nextInt(ids.length)];
  }
}
