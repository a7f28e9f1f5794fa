package dev.mlops.features.registry;

import dev.mlops.features.Feature;
import dev.mlops.features.JoinKey;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The layout of a feature table: the join keys, {@code feature_ts} (the row's feature time),
 * {@code created_ts} (when the row was created), the features, and {@code date} (the feature
 * time's day, the partition column).
 */
public final class FeatureTables {
  public static final String FEATURE_TS = "feature_ts";
  public static final String CREATED_TS = "created_ts";
  public static final String DATE = "date";

  private FeatureTables() {}

  /** The schema of a table with {@code keys} and {@code features}. */
  public static StructType schema(List<JoinKey> keys, List<Feature> features) {
    StructType s = new StructType();
    for (JoinKey k : keys) {
      s = s.add(k.name(), k.type().sparkType(), true);
    }
    s = s.add(FEATURE_TS, DataTypes.TimestampType, false).add(CREATED_TS, DataTypes.TimestampType, false);
    for (Feature f : features) {
      s = s.add(f.name(), f.type().sparkType(), true);
    }
    return s.add(DATE, DataTypes.DateType, false);
  }
}
