package dev.mlops.features.pit.internal;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.BoundReference;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.GetStructField;
import org.apache.spark.sql.catalyst.expressions.XxHash64;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The fingerprint that breaks a full tie between two feature rows of one key and view (same
 * feature time, same created time): Spark's {@code xxhash64} of the view's feature values, in
 * order, with its default seed, so the same as {@code xxhash64(f1, f2, ...)} in SQL. It is
 * computed only for rows that tie, not carried with every row through the shuffle.
 */
final class ValueFingerprint implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final long SEED = 42L;
  private final XxHash64[] byView;

  private ValueFingerprint(List<List<Expression>> values) {
    byView = values.stream().map(v -> new XxHash64(CollectionConverters.asScala(v).toSeq(), SEED)).toArray(XxHash64[]::new);
  }

  /** Of rows that hold one view's values alone, from ordinal 0 on, of these types per view. */
  static ValueFingerprint ofValueRows(DataType[][] types) {
    List<List<Expression>> values = new ArrayList<>();
    for (DataType[] view : types) {
      List<Expression> refs = new ArrayList<>();
      for (int f = 0; f < view.length; f++) {
        refs.add(new BoundReference(f, view[f], true));
      }
      values.add(refs);
    }
    return new ValueFingerprint(values);
  }

  /**
   * Of the feature side's rows: with one view, its values are flat columns from {@code first} on;
   * with several, view {@code v}'s values are the fields of the struct column {@code first + v}.
   */
  static ValueFingerprint ofFeatureRows(StructType schema, int first, int views) {
    List<List<Expression>> values = new ArrayList<>();
    for (int v = 0; v < views; v++) {
      List<Expression> refs = new ArrayList<>();
      if (views == 1) {
        for (int c = first; c < schema.size(); c++) {
          refs.add(new BoundReference(c, schema.fields()[c].dataType(), true));
        }
      } else {
        StructType packed = (StructType) schema.fields()[first + v].dataType();
        Expression struct = new BoundReference(first + v, packed, true);
        for (int f = 0; f < packed.size(); f++) {
          refs.add(new GetStructField(struct, f, scala.Option.empty()));
        }
      }
      values.add(refs);
    }
    return new ValueFingerprint(values);
  }

  /** The fingerprint of {@code row}, which holds values of view {@code view}. */
  long of(InternalRow row, int view) {
    return (Long) byView[view].eval(row);
  }
}
