package dev.mlops.features.registry;

import dev.mlops.features.Feature;
import dev.mlops.features.JoinKey;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The layout of a feature table: the join keys, {@code feature_ts} (the row's feature time),
 * {@code created_ts} (when the row was created), the features, {@code date} (the feature time's
 * day), and {@code month} (the partition column: the first day of {@code date}'s month, a column
 * Delta generates from {@code date}, so a filter on {@code date} prunes months). Month partitions
 * keep a view with a long history in few files: a dimension with one row a day over ten years
 * would otherwise be 3,650 one-file partitions, and opening them costs more than reading them.
 * Tables created before this layout are partitioned by {@code date}; both are read and written
 * the same way, but only month-partitioned tables get their small files merged.
 */
public final class FeatureTables {
  public static final String FEATURE_TS = "feature_ts";
  public static final String CREATED_TS = "created_ts";
  public static final String DATE = "date";
  public static final String MONTH = "month";

  /** How Delta generates {@link #MONTH}. */
  public static final String MONTH_EXPRESSION = "trunc(" + DATE + ", 'MM')";

  private FeatureTables() {}

  /** The schema of a table with {@code keys} and {@code features}, as the materializer writes it: all but {@link #MONTH}. */
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
