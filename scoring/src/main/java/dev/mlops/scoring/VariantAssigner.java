package dev.mlops.scoring;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import dev.mlops.core.spark.Identifiers;
import dev.mlops.training.spec.ModelSpec.AbSpec;
import dev.mlops.training.spec.ModelSpec.VariantSpec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.spark.sql.Column;

/**
 * Assigns entities to A/B variants deterministically: an entity's bucket is
 * {@code pmod(xxhash64(salt || ':' || key), 10000)}, and the variants take consecutive ranges of
 * buckets in the order the spec lists them, each as wide as its share; the rest stay with
 * Production. The same key and salt give the same variant on every day and in every process, and
 * growing the share of the last-listed variant (a canary ramp: list the canary last) only moves
 * entities from Production into it.
 *
 * <p>Immutable and thread-safe.
 */
public final class VariantAssigner {
  /** Buckets per unit of share. */
  public static final int BUCKETS = 10_000;

  private final AbSpec spec;
  private final java.util.Map<String, Double> shares;

  /** An assigner with the shares the spec lists. */
  public VariantAssigner(AbSpec spec) {
    this(spec, java.util.Map.of());
  }

  /**
   * An assigner with {@code shares} in place of the listed ones for the variants it names (a
   * canary ramp's share in force on a day, 0 once stopped).
   */
  public VariantAssigner(AbSpec spec, java.util.Map<String, Double> shares) {
    this.spec = spec;
    this.shares = java.util.Map.copyOf(shares);
  }

  private int width(VariantSpec v) {
    return (int) Math.round(shares.getOrDefault(v.name(), v.share()) * BUCKETS);
  }

  /** The variant column: the variant's name, or null for Production. */
  public Column variant() {
    Column bucket = bucket(Identifiers.column(spec.key()));
    Column out = lit(null).cast("string");
    int upper = 0;
    List<VariantSpec> variants = spec.variants();
    Column chain = null;
    for (VariantSpec v : variants) {
      int lower = upper;
      upper = Math.min(BUCKETS, lower + width(v));
      Column in = bucket.geq(lower).and(bucket.lt(upper));
      chain = chain == null ? when(in, lit(v.name())) : chain.when(in, lit(v.name()));
    }
    // An entity without a key stays with Production: a null key would hash like any other value.
    Column key = Identifiers.column(spec.key());
    return chain == null ? out : when(key.isNull(), out).otherwise(chain.otherwise(out));
  }

  /** The bucket of {@code key}: in [0, {@value #BUCKETS}). */
  Column bucket(Column key) {
    return pmod(xxhash64(concat(lit(spec.salt() + ":"), key.cast("string"))), lit((long) BUCKETS));
  }

  /**
   * The variant of one entity, computed on the driver exactly as {@link #variant()} computes it
   * in Spark (Spark's XXH64 with its seed 42 over the UTF-8 bytes); null for Production.
   */
  public String variantOf(String key) {
    if (key == null) {
      return null;
    }
    byte[] bytes = (spec.salt() + ":" + key).getBytes(StandardCharsets.UTF_8);
    long hash = XxHash64.hash(bytes, XxHash64.SPARK_SEED);
    long bucket = Math.floorMod(hash, (long) BUCKETS);
    int upper = 0;
    for (VariantSpec v : spec.variants()) {
      int lower = upper;
      upper = Math.min(BUCKETS, lower + width(v));
      if (bucket >= lower && bucket < upper) {
        return v.name();
      }
    }
    return null;
  }
}
