package dev.mlops.monitoring.drift;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The buckets the categorical metrics compare: every reference category (sorted by label, so that
 * the result does not depend on the order a source lists them in), one {@value Bucket#UNSEEN}
 * bucket for the current categories absent from the reference, one {@value Bucket#OTHER} bucket for
 * the rows a sketch did not keep on either side; buckets empty on both sides are dropped (a
 * contingency table cannot hold an empty column) and their labels kept. Immutable.
 */
record CategoryTable(List<Bucket> buckets, List<String> dropped) {

  static CategoryTable of(CategoricalDistribution reference, CategoricalDistribution current) {
    Map<String, Long> referenceCounts = new TreeMap<>(reference.counts());
    Map<String, Long> currentCounts = current.counts();
    List<Bucket> all = new ArrayList<>();
    referenceCounts.forEach((label, n) ->
        all.add(new Bucket(label, Bucket.Kind.CATEGORY, n, currentCounts.getOrDefault(label, 0L))));
    long unseen = 0;
    for (Map.Entry<String, Long> e : currentCounts.entrySet()) {
      if (!referenceCounts.containsKey(e.getKey())) {
        unseen += e.getValue();
      }
    }
    all.add(new Bucket(Bucket.UNSEEN, Bucket.Kind.UNSEEN, 0, unseen));
    all.add(new Bucket(Bucket.OTHER, Bucket.Kind.OTHER, reference.other(), current.other()));
    List<Bucket> kept = new ArrayList<>();
    List<String> dropped = new ArrayList<>();
    for (Bucket b : all) {
      if (b.total() > 0) {
        kept.add(b);
      } else {
        dropped.add(b.label());
      }
    }
    return new CategoryTable(List.copyOf(kept), List.copyOf(dropped));
  }

  /** The reference's count in each bucket, as doubles. */
  double[] reference() {
    return buckets.stream().mapToDouble(Bucket::reference).toArray();
  }

  /** The current count in each bucket, as doubles. */
  double[] current() {
    return buckets.stream().mapToDouble(Bucket::current).toArray();
  }
}
