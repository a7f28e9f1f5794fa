package dev.mlops.monitoring.drift;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.ItemsSketch;

/**
 * The distribution of categorical values estimated by a frequent-items sketch (as validation's
 * {@code FrequentItemsState} keeps one per column): the categories the sketch is sure are frequent,
 * with its estimates, and the rest of the rows in {@link #other()}.
 *
 * <p>The categories are those of {@code getFrequentItems(ErrorType.NO_FALSE_POSITIVES)}: every
 * category kept has a count above the sketch's maximum error, so its estimate is off by less than
 * its size, and the uncertain tail goes to {@link #other()} instead of appearing as categories whose
 * counts are mostly error. While the sketch has seen fewer distinct values than its capacity (3/4
 * of its map size: 192 for validation's 256) its maximum error is 0, every category is kept with
 * its exact count and {@link #other()} is 0: the distribution is then the exact one. Beyond, a
 * category near the threshold may be kept on one side and folded into {@code other} on the other.
 *
 * <p>Get one with {@link #of(ItemsSketch)}. It reads the sketch once, when made; its {@link
 * #count()} is the sketch's stream length. Immutable and thread-safe.
 */
public final class FrequentItemsCategorical extends BaseCategorical {
  private final long maximumError;

  private FrequentItemsCategorical(Map<String, Long> counts, long count, long maximumError) {
    super(counts, count, Math.max(0, count - sum(counts)));
    this.maximumError = maximumError;
  }

  /** The distribution the sketch describes now, most frequent category first. */
  public static FrequentItemsCategorical of(ItemsSketch<String> sketch) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (ItemsSketch.Row<String> row : sketch.getFrequentItems(ErrorType.NO_FALSE_POSITIVES)) {
      counts.put(row.getItem(), row.getEstimate());
    }
    return new FrequentItemsCategorical(counts, sketch.getStreamLength(), sketch.getMaximumError());
  }

  /** The sketch's maximum error of a count: 0 while it holds every category exactly. */
  public long maximumError() {
    return maximumError;
  }
}
