package dev.mlops.validation.analyzers;

import dev.mlops.validation.sketches.FrequentItemsState;
import dev.mlops.validation.sketches.HllState;
import dev.mlops.validation.sketches.KllState;
import dev.mlops.validation.sketches.SketchState;
import java.util.BitSet;

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
  private transient BitSet added;
  // Room for a batch's values or entries.
  private transient double[] doubles;
  private transient long[] longs;
  private transient int[] entries;
  // For top values read from a dictionary: rows per entry (all 0 between batches), and each entry's first row.
  private transient int[] counts;
  private transient int[] firstRows;

  SketchScanState(Input input, SketchState<?> sketch) {
    this.input = input;
    this.sketch = sketch;
  }

  @Override
  public void update(ValueRow row, int offset) {
    if (row.isNullAt(offset)) {
      return;
    }
    switch (input) {
      case DOUBLE -> ((KllState) sketch).update(row.getDouble(offset));
      case LONG -> ((HllState) sketch).update(row.getLong(offset));
      case STRING_BYTES -> ((HllState) sketch).update(row.getUtf8(offset));
      case BINARY -> ((HllState) sketch).update(row.getBinary(offset));
      default -> ((FrequentItemsState) sketch).update(row.getString(offset));
    }
  }

  /**
   * A quantile sketch takes the batch's values at once. A distinct count read from a dictionary
   * takes each entry once (its sketch is idempotent: each entry once is the same sketch), the
   * first row of the entry standing for all of them; top values read from a dictionary take each
   * entry of the batch once with its number of rows. The others go row by row.
   */
  @Override
  public void updateBatch(ValueBatch batch, int offset) {
    int rows = batch.rows();
    if (input == Input.DOUBLE) {
      doubles = ValueBatch.room(doubles, rows);
      ((KllState) sketch).update(doubles, batch.doubles(offset, doubles));
      return;
    }
    entries = ValueBatch.room(entries, rows);
    if (batch.entries(offset, entries)) {
      if (input == Input.TEXT) {
        countEntries(batch, offset);
      } else {
        addEntriesOnce(batch, offset);
      }
      return;
    }
    if (input == Input.LONG) {
      longs = ValueBatch.room(longs, rows);
      int count = batch.longs(offset, longs);
      for (int i = 0; i < count; i++) {
        ((HllState) sketch).update(longs[i]);
      }
      return;
    }
    ScanState.super.updateBatch(batch, offset);
  }

  /** Adds each entry of {@link #entries} not yet added from its dictionary to the distinct-count sketch, from its first row. */
  private void addEntriesOnce(ValueBatch batch, int offset) {
    if (batch.dictionary(offset) != dictionary) {
      dictionary = batch.dictionary(offset);
      added = new BitSet();
    }
    for (int r = 0; r < batch.rows(); r++) {
      if (!added.get(entries[r])) {
        added.set(entries[r]);
        update(batch.row(r), offset);
      }
    }
  }

  /** Adds each entry of {@link #entries} once, with its number of rows, to the frequent-items sketch. */
  private void countEntries(ValueBatch batch, int offset) {
    int rows = batch.rows();
    int top = 0;
    for (int r = 0; r < rows; r++) {
      top = Math.max(top, entries[r]);
    }
    if (counts == null || counts.length <= top) {
      counts = new int[top + 1];
    }
    firstRows = ValueBatch.room(firstRows, rows);
    int seen = 0;
    for (int r = 0; r < rows; r++) {
      if (counts[entries[r]]++ == 0) {
        firstRows[seen++] = r;
      }
    }
    for (int i = 0; i < seen; i++) {
      int r = firstRows[i];
      ValueRow row = batch.row(r);
      if (!row.isNullAt(offset)) {
        ((FrequentItemsState) sketch).update(row.getString(offset), counts[entries[r]]);
      }
      counts[entries[r]] = 0;
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
