package dev.mlops.monitoring.report;

import dev.mlops.monitoring.ColumnDrift;
import dev.mlops.monitoring.drift.Bucket;
import dev.mlops.monitoring.drift.DriftDetails;
import dev.mlops.monitoring.drift.DriftDetails.PsiDetails;
import dev.mlops.validation.profiles.PartitionProfiler.Kind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The two distributions of a column in one partition, as shares per bin, read from its results'
 * details: a numeric column's PSI bins, labelled from their edges; a categorical column's buckets
 * (chi-squared's or Jensen-Shannon's counts, else PSI's shares), the largest ones kept and the rest
 * summed, the UNSEEN and OTHER buckets always kept and last.
 *
 * @param bins the bins drawn, in order
 * @param hidden how many categories were summed into {@code hiddenReference} and {@code hiddenCurrent}
 * @param hiddenReference the reference's share of the categories not drawn
 * @param hiddenCurrent the current share of the categories not drawn
 */
record BinShares(List<Bin> bins, int hidden, double hiddenReference, double hiddenCurrent) {
  /** The most categories drawn. */
  static final int MAX_CATEGORIES = 14;

  /**
   * One bin.
   *
   * @param label its label
   * @param kind CATEGORY for a category or a numeric bin, UNSEEN or OTHER for those buckets
   * @param reference the reference's share
   * @param current the current share
   */
  record Bin(String label, Bucket.Kind kind, double reference, double current) {}

  /** The distributions of {@code c}, or empty when its details hold none (a side had no values). */
  static Optional<BinShares> of(ColumnDrift c) {
    return c.kind() == Kind.NUMERIC ? numeric(c) : categorical(c);
  }

  private static Optional<BinShares> numeric(ColumnDrift c) {
    return psi(c).map(d -> {
      List<Bin> bins = new ArrayList<>();
      boolean fromEdges = !d.edges().isEmpty() && d.edges().size() + 1 == d.bins().size();
      for (int i = 0; i < d.bins().size(); i++) {
        String label = fromEdges ? edgeLabel(d.edges(), i) : d.bins().get(i);
        bins.add(new Bin(label, Bucket.Kind.CATEGORY, d.referenceShares().get(i), d.currentShares().get(i)));
      }
      return new BinShares(bins, 0, 0, 0);
    });
  }

  private static Optional<BinShares> categorical(ColumnDrift c) {
    Optional<List<Bin>> fromCounts = c.results().stream().map(r -> buckets(r.details())).filter(b -> !b.isEmpty())
        .findFirst().map(BinShares::shares);
    return fromCounts.or(() -> psi(c).map(BinShares::fromPsi)).map(BinShares::capped);
  }

  private static Optional<PsiDetails> psi(ColumnDrift c) {
    return c.results().stream().map(r -> r.details()).filter(PsiDetails.class::isInstance).map(PsiDetails.class::cast)
        .filter(d -> !d.bins().isEmpty()).findFirst();
  }

  private static List<Bucket> buckets(DriftDetails d) {
    if (d instanceof DriftDetails.ChiSquaredDetails x) {
      return x.buckets();
    }
    return d instanceof DriftDetails.JensenShannonDetails x ? x.buckets() : List.of();
  }

  private static List<Bin> shares(List<Bucket> buckets) {
    double ref = buckets.stream().mapToLong(Bucket::reference).sum();
    double cur = buckets.stream().mapToLong(Bucket::current).sum();
    return buckets.stream().map(b -> new Bin(b.label(), b.kind(), ref == 0 ? 0 : b.reference() / ref,
        cur == 0 ? 0 : b.current() / cur)).toList();
  }

  private static List<Bin> fromPsi(PsiDetails d) {
    List<Bin> bins = new ArrayList<>();
    for (int i = 0; i < d.bins().size(); i++) {
      String label = d.bins().get(i);
      Bucket.Kind kind = label.equals(Bucket.UNSEEN) ? Bucket.Kind.UNSEEN
          : label.equals(Bucket.OTHER) ? Bucket.Kind.OTHER : Bucket.Kind.CATEGORY;
      bins.add(new Bin(label, kind, d.referenceShares().get(i), d.currentShares().get(i)));
    }
    return bins;
  }

  /** The largest categories by their larger share, then UNSEEN and OTHER; the rest summed. */
  private static BinShares capped(List<Bin> all) {
    List<Bin> categories = all.stream().filter(b -> b.kind() == Bucket.Kind.CATEGORY)
        .sorted(Comparator.comparingDouble((Bin b) -> Math.max(b.reference(), b.current())).reversed()).toList();
    List<Bin> kept = new ArrayList<>(categories.subList(0, Math.min(MAX_CATEGORIES, categories.size())));
    List<Bin> rest = categories.subList(kept.size(), categories.size());
    all.stream().filter(b -> b.kind() == Bucket.Kind.UNSEEN).forEach(kept::add);
    all.stream().filter(b -> b.kind() == Bucket.Kind.OTHER).forEach(kept::add);
    return new BinShares(kept, rest.size(), rest.stream().mapToDouble(Bin::reference).sum(),
        rest.stream().mapToDouble(Bin::current).sum());
  }

  private static String edgeLabel(List<Double> edges, int i) {
    if (i == 0) {
      return "\u2264 " + Numbers.value(edges.get(0));
    }
    String low = Numbers.value(edges.get(i - 1));
    return i == edges.size() ? "> " + low : "(" + low + ", " + Numbers.value(edges.get(i)) + "]";
  }
}
