package dev.mlops.features.pit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

/** The join's output row: fields found across its parts, parts taken over by a later pass, copies that stay. */
class ProbedRowTest {
  private static final DataType L = DataTypes.LongType;
  private static final DataType S = DataTypes.StringType;
  private static final DataType D = DataTypes.DoubleType;

  @Test
  void aLaterPassTakesOverTheEarlierPartsAndEveryFieldReadsFromItsPart() {
    InternalRow spine = new GenericInternalRow(new Object[] {7L, UTF8String.fromString("k7")});
    InternalRow a = new GenericInternalRow(new Object[] {1.5, null});
    InternalRow b = new GenericInternalRow(new Object[] {UTF8String.fromString("b")});
    ProbedRow first = ProbedRow.extending(spine, new int[] {2}, new DataType[] {L, S, D, D});
    first.set(spine, new InternalRow[] {a});
    ProbedRow second = ProbedRow.extending(first, new int[] {1}, new DataType[] {L, S, D, D, S});
    second.set(first, new InternalRow[] {b});

    assertThat(second.numFields()).isEqualTo(5);
    assertThat(second.parts).as("one level of parts, not a chain").containsExactly(spine, a, b);
    assertThat(second.getLong(0)).isEqualTo(7L);
    assertThat(second.getUTF8String(1).toString()).isEqualTo("k7");
    assertThat(second.getDouble(2)).isEqualTo(1.5);
    assertThat(second.isNullAt(3)).isTrue();
    assertThat(second.getUTF8String(4).toString()).isEqualTo("b");

    InternalRow kept = second.copy();
    first.set(new GenericInternalRow(new Object[] {8L, UTF8String.fromString("k8")}), new InternalRow[] {a});
    second.set(first, new InternalRow[] {b});
    assertThat(second.getLong(0)).as("reused for the next row").isEqualTo(8L);
    assertThat(kept.getLong(0)).as("the copy stays").isEqualTo(7L);
    assertThat(kept.getUTF8String(1).toString()).isEqualTo("k7");
    assertThat(kept.isNullAt(3)).isTrue();
    assertThat(kept.getUTF8String(4).toString()).isEqualTo("b");
  }

  @Test
  void aLayoutThatDoesNotAddUpToTheOutputIsRefused() {
    InternalRow spine = new GenericInternalRow(new Object[] {7L});
    assertThatThrownBy(() -> ProbedRow.extending(spine, new int[] {2}, new DataType[] {L, D}))
        .isInstanceOf(IllegalStateException.class).hasMessage("a joined row of 3 fields for an output of 2");
  }
}
