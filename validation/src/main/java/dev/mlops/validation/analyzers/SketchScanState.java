package dev.mlops.validation.analyzers;

import dev.mlops.validation.sketches.FrequentItemsState;
import dev.mlops.validation.sketches.HllState;
import dev.mlops.validation.sketches.KllState;
import dev.mlops.validation.sketches.SketchState;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * A sketch fed from the shared pass: reads the projected value in its {@link Input} form, without
 * boxing it, and adds it to the {@link SketchState}.
 */
final class SketchScanState implements ScanState {
  private static final long serialVersionUID = 1L;

  /** How the projected value reaches the sketch. */
  enum Input {
    /** a double, into a KLL sketch */
    DOUBLE,
    /** a bigint, hashed as such by an HLL sketch */
    LONG,
    /** a string's UTF-8 bytes, hashed by an HLL sketch (as it hashes the string itself) */
    STRING_BYTES,
    /** binary, hashed by an HLL sketch */
    BINARY,
    /** a string, into a frequent-items sketch */
    TEXT
  }

  private final Input input;
  private SketchState<?> sketch;
  /** For a distinct count read from a dictionary: the dictionary, and which of its entries the sketch has had. */
  private transient Object dictionary;
  private transient java.util.BitSet added;

  SketchScanState(Input input, SketchState<?> sketch) {
    this.input = input;
    this.sketch = sketch;
  }

  @Override
  public void update(InternalRow row, int offset) {
    if (row.isNullAt(offset)) {
      return;
    }
    if (input != Input.DOUBLE && input != Input.TEXT && row instanceof DictionaryEntries d) {
      // A distinct count's sketch is idempotent: each entry of a dictionary once is the same sketch.
      int entry = d.entry(offset);
      if (entry >= 0) {
        if (d.dictionary(offset) != dictionary) {
          dictionary = d.dictionary(offset);
          added = new java.util.BitSet();
        }
        if (added.get(entry)) {
          return;
        }
        added.set(entry);
      }
    }
    switch (input) {
      case DOUBLE -> ((KllState) sketch).update(row.getDouble(offset));
      case LONG -> ((HllState) sketch).update(row.getLong(offset));
      case STRING_BYTES -> ((HllState) sketch).update(row.getUTF8String(offset).getBytes());
      case BINARY -> ((HllState) sketch).update(row.getBinary(offset));
      default -> ((FrequentItemsState) sketch).update(row.getUTF8String(offset).toString());
    }
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public ScanState merge(ScanState other) {
    sketch = ((SketchState) sketch).merge(((SketchScanState) other).sketch);
    return this;
  }

  SketchState<?> sketch() {
    return sketch;
  }
}
