package dev.mlops.validation.internal;

import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.BasePredicate;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.IsNotNull;
import org.apache.spark.sql.catalyst.expressions.MutableProjection;
import org.apache.spark.sql.catalyst.expressions.Predicate;
import org.apache.spark.sql.catalyst.expressions.SpecializedGetters;
import org.apache.spark.sql.catalyst.expressions.SpecificInternalRow;
import org.apache.spark.sql.execution.vectorized.WritableColumnVector;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Where one projected value comes from. Made on the executor, one per distinct value and task:
 * it holds a compiled projection, the values kept per dictionary entry, and what it read of the
 * current batch.
 */
final class ValueSource {
  /** Spark's dictionary of a vector, kept in a field without a getter; null when it cannot be read. */
  private static final Field DICTIONARY = field(WritableColumnVector.class, "dictionary");
  /**
   * Parquet's dictionary inside Spark's wrapper: Spark wraps it anew for every page it reads,
   * Parquet makes it once per column chunk; null when it cannot be read.
   */
  private static final Field PARQUET_DICTIONARY = field(org.apache.spark.sql.execution.datasources.parquet.ParquetDictionary.class,
      "dictionary");
  private static final int STRAIGHT = 0;
  private static final int NOT_NULL = 1;
  private static final int ENTRY = 2;
  private static final int PROJECTED = 3;
  private static final int PREDICATE = 4;
  private static final byte UNKNOWN = 0;
  private static final byte VALUE = 1;
  private static final byte NULL = 2;

  final DataType type;
  /** The ordinal in the scan's output of the one column the value reads, or -1. */
  final int column;
  private final boolean isColumn;
  private final boolean isNotNull;
  private final boolean remembers;
  private final Kind kind;
  private final MutableProjection projection;
  private final BasePredicate predicate; // for a condition that is never null, else null

  private ColumnarBatch batch;
  private int rows;
  private long bound = -1; // the number of the batch bound
  private ColumnVector vector;
  private int mode;
  private WritableColumnVector ids; // of the dictionary entries, in ENTRY mode
  private Object dictionary; // whose entries the arrays below hold
  // Per slot: 0 for the value where the column is null, entry + 1 for an entry of the dictionary.
  // A boolean's long is 1 where it is true, else 0 (null included).
  private byte[] known = new byte[0];
  private long[] longs = new long[0];
  private double[] doubles = new double[0];
  private Object[] objects = new Object[0];
  // What was read of the bound batch, and of which batch (its number).
  private final Slots columnSlots;
  private long slotsOf = -1; // the batch whose slots' values are known
  private int entryCount = -1; // entries of the dictionary, -1 when not known
  private int entriesKnown; // entries (the null slot aside) whose value is known
  private long doublesOf = -1;
  private int doubleCount;
  private long longsOf = -1;
  private int longCount;
  private double[] doubleValues = new double[0];
  private long[] longValues = new long[0];
  private long truesOf = -1;
  private long trues;
  private int projectedRow = -1;
  private InternalRow projected;

  /**
   * @param expression the value, over the scan's output
   * @param output the scan's output
   * @param partition the task's partition (for expressions that are not deterministic)
   * @param slots the dictionary slots of the column it reads ({@link #columnOf}), shared by the
   *     values that read it; null when it reads none or several
   */
  ValueSource(Expression expression, List<Attribute> output, int partition, Slots slots) {
    this.type = expression.dataType();
    int ordinal = columnOf(expression, output);
    this.column = ordinal;
    this.columnSlots = slots;
    this.isColumn = ordinal >= 0 && expression instanceof Attribute;
    this.isNotNull = ordinal >= 0 && expression instanceof IsNotNull n && n.child() instanceof Attribute;
    this.remembers = ordinal >= 0 && expression.deterministic();
    this.kind = Kind.of(type);
    scala.collection.immutable.Seq<Attribute> input = CollectionConverters.asScala(output).toSeq();
    this.projection = MutableProjection.create(CollectionConverters.asScala(List.of(expression)).toSeq(), input);
    projection.target(new SpecificInternalRow(CollectionConverters.asScala(List.of(type)).toSeq()));
    projection.initialize(partition);
    if (type instanceof BooleanType && !expression.nullable() && expression.deterministic()) {
      predicate = Predicate.create(expression, input);
      predicate.initialize(partition);
    } else {
      predicate = null;
    }
  }

  /** The ordinal in {@code output} of the one column {@code expression} reads, or -1 when it reads none or several. */
  static int columnOf(Expression expression, List<Attribute> output) {
    List<Attribute> read = CollectionConverters.asJava(expression.references().toSeq());
    int ordinal = -1;
    if (read.size() == 1) {
      for (int i = 0; i < output.size(); i++) {
        if (output.get(i).exprId().equals(read.get(0).exprId())) {
          ordinal = i;
        }
      }
    }
    return ordinal;
  }

  /** Reads {@code batch}, the batch numbered {@code number}, from now on; once per batch however often called. */
  void bind(ColumnarBatch batch, long number) {
    if (number == bound) {
      return;
    }
    bound = number;
    this.batch = batch;
    rows = batch.numRows();
    projectedRow = -1;
    vector = column >= 0 ? batch.column(column) : null;
    Object entries = vector instanceof WritableColumnVector w && w.hasDictionary() && DICTIONARY != null ? read(w) : null;
    if (isNotNull) {
      mode = NOT_NULL;
    } else if (entries != null && remembers) {
      mode = ENTRY;
      ids = ((WritableColumnVector) vector).getDictionaryIds();
      if (entries != dictionary) { // another column chunk: other entries
        dictionary = entries;
        Arrays.fill(known, UNKNOWN);
        entriesKnown = 0;
        entryCount = entries instanceof org.apache.parquet.column.Dictionary d ? d.getMaxId() + 1 : -1;
      }
    } else {
      mode = isColumn && kind != Kind.OTHER ? STRAIGHT : predicate != null ? PREDICATE : PROJECTED;
    }
  }

  /**
   * In ENTRY mode, each row's slot (0 where the column is null, else its entry + 1), with the
   * value of every slot of the batch known: the slots are read once per batch and column, the
   * values looked for until every entry of the dictionary is known.
   */
  private int[] slots() {
    if (slotsOf == bound) {
      return columnSlots.slots();
    }
    int[] s = columnSlots.read(vector, ids, rows, bound);
    int top = columnSlots.top();
    if (top >= known.length) {
      int size = Math.max(top + 1, 2 * known.length);
      known = Arrays.copyOf(known, size);
      switch (kind) {
        case LONG -> longs = Arrays.copyOf(longs, size);
        case DOUBLE -> doubles = Arrays.copyOf(doubles, size);
        default -> objects = Arrays.copyOf(objects, size);
      }
    }
    byte[] k = known;
    if (entriesKnown != entryCount || columnSlots.hasNull() && k[0] == UNKNOWN) {
      for (int r = 0; r < rows; r++) {
        if (k[s[r]] == UNKNOWN) {
          learn(s[r], r);
        }
      }
    }
    slotsOf = bound;
    return s;
  }

  /** Computes the value of {@code slot} from row {@code row}, one of its rows. */
  private void learn(int slot, int row) {
    if (slot > 0) {
      entriesKnown++;
    }
    InternalRow p = projection.apply(batch.getRow(row));
    if (p.isNullAt(0)) {
      known[slot] = NULL;
      switch (kind) {
        case LONG -> longs[slot] = 0;
        case DOUBLE -> doubles[slot] = 0;
        default -> objects[slot] = null;
      }
    } else {
      known[slot] = VALUE;
      switch (kind) {
        case LONG -> longs[slot] = Kind.longOf(p, 0, type);
        case DOUBLE -> doubles[slot] = type instanceof FloatType ? p.getFloat(0) : p.getDouble(0);
        default -> objects[slot] = InternalRow.copyValue(p.get(0, type));
      }
    }
  }

  private InternalRow projected(int row) {
    if (row != projectedRow) {
      projected = projection.apply(batch.getRow(row));
      projectedRow = row;
    }
    return projected;
  }

  /** In ENTRY mode, the rows' slots (0 for a null column, else the entry + 1) into {@code into}, and true. */
  boolean entries(int[] into) {
    if (mode != ENTRY) {
      return false;
    }
    System.arraycopy(slots(), 0, into, 0, rows);
    return true;
  }

  /** The dictionary whose entries {@link #entries} gives. */
  Object dictionary() {
    return dictionary;
  }

  boolean isNull(int row) {
    return switch (mode) {
      case STRAIGHT -> vector.isNullAt(row);
      case NOT_NULL, PREDICATE -> false;
      case ENTRY -> known[slots()[row]] == NULL;
      default -> projected(row).isNullAt(0);
    };
  }

  boolean getBoolean(int row) {
    return switch (mode) {
      case STRAIGHT -> vector.getBoolean(row);
      case NOT_NULL -> !vector.isNullAt(row);
      case PREDICATE -> predicate.eval(batch.getRow(row));
      case ENTRY -> longs[slots()[row]] != 0;
      default -> projected(row).getBoolean(0);
    };
  }

  /** A value of a boolean or integral type, or a date or time, as a long. */
  long getLong(int row) {
    return switch (mode) {
      case STRAIGHT -> Kind.longOf(batch.getRow(row), column, type);
      case ENTRY -> longs[slots()[row]];
      default -> Kind.longOf(projected(row), 0, type);
    };
  }

  /** A value of a floating point type as a double. */
  double getDouble(int row) {
    return switch (mode) {
      case STRAIGHT -> type instanceof FloatType ? vector.getFloat(row) : vector.getDouble(row);
      case ENTRY -> doubles[slots()[row]];
      default -> type instanceof FloatType ? projected(row).getFloat(0) : projected(row).getDouble(0);
    };
  }

  /** The number of the batch's rows whose boolean value is true (null counts as false). */
  long trueCount() {
    if (truesOf != bound) {
      trues = switch (mode) {
        case NOT_NULL -> rows - nulls();
        case ENTRY -> entryTrues();
        case STRAIGHT -> straightTrues();
        case PREDICATE -> predicateTrues();
        default -> projectedTrues();
      };
      truesOf = bound;
    }
    return trues;
  }

  private int nulls() {
    ColumnVector v = vector;
    if (!v.hasNull()) {
      return 0;
    }
    int n = 0;
    for (int r = 0; r < rows; r++) {
      if (v.isNullAt(r)) {
        n++;
      }
    }
    return n;
  }

  private long entryTrues() {
    int[] s = slots();
    long[] t = longs;
    long n = 0;
    for (int r = 0; r < rows; r++) {
      n += t[s[r]];
    }
    return n;
  }

  private long straightTrues() {
    ColumnVector v = vector;
    long n = 0;
    for (int r = 0; r < rows; r++) {
      if (!v.isNullAt(r) && v.getBoolean(r)) {
        n++;
      }
    }
    return n;
  }

  private long predicateTrues() {
    ColumnarBatch b = batch;
    BasePredicate p = predicate;
    long n = 0;
    for (int r = 0; r < rows; r++) {
      if (p.eval(b.getRow(r))) {
        n++;
      }
    }
    return n;
  }

  private long projectedTrues() {
    long n = 0;
    for (int r = 0; r < rows; r++) {
      InternalRow p = projected(r);
      if (!p.isNullAt(0) && p.getBoolean(0)) {
        n++;
      }
    }
    return n;
  }

  /** The batch's values that are not null, of a floating point type, as doubles into {@code into}; how many. */
  int doubles(double[] into) {
    if (doublesOf != bound) {
      if (doubleValues.length < rows) {
        doubleValues = new double[rows];
      }
      double[] out = doubleValues;
      int c = 0;
      if (mode == ENTRY) {
        int[] s = slots();
        byte[] k = known;
        double[] d = doubles;
        for (int r = 0; r < rows; r++) {
          if (k[s[r]] == VALUE) {
            out[c++] = d[s[r]];
          }
        }
      } else if (mode == STRAIGHT) {
        c = straightDoubles(out);
      } else {
        for (int r = 0; r < rows; r++) {
          if (!isNull(r)) {
            out[c++] = getDouble(r);
          }
        }
      }
      doubleCount = c;
      doublesOf = bound;
    }
    System.arraycopy(doubleValues, 0, into, 0, doubleCount);
    return doubleCount;
  }

  private int straightDoubles(double[] out) {
    ColumnVector v = vector;
    boolean floats = type instanceof FloatType;
    int c = 0;
    if (!v.hasNull()) {
      if (floats) {
        for (int r = 0; r < rows; r++) {
          out[r] = v.getFloat(r);
        }
      } else {
        for (int r = 0; r < rows; r++) {
          out[r] = v.getDouble(r);
        }
      }
      return rows;
    }
    for (int r = 0; r < rows; r++) {
      if (!v.isNullAt(r)) {
        out[c++] = floats ? v.getFloat(r) : v.getDouble(r);
      }
    }
    return c;
  }

  /** The batch's values that are not null, of an integral, date or time type, as longs into {@code into}; how many. */
  int longs(long[] into) {
    if (longsOf != bound) {
      if (longValues.length < rows) {
        longValues = new long[rows];
      }
      long[] out = longValues;
      int c = 0;
      if (mode == ENTRY) {
        int[] s = slots();
        byte[] k = known;
        long[] l = longs;
        for (int r = 0; r < rows; r++) {
          if (k[s[r]] == VALUE) {
            out[c++] = l[s[r]];
          }
        }
      } else if (mode == STRAIGHT) {
        c = straightLongs(out);
      } else {
        for (int r = 0; r < rows; r++) {
          if (!isNull(r)) {
            out[c++] = getLong(r);
          }
        }
      }
      longCount = c;
      longsOf = bound;
    }
    System.arraycopy(longValues, 0, into, 0, longCount);
    return longCount;
  }

  private int straightLongs(long[] out) {
    ColumnVector v = vector;
    int c = 0;
    if (type instanceof LongType || type instanceof TimestampType || type instanceof TimestampNTZType) {
      for (int r = 0; r < rows; r++) {
        if (!v.isNullAt(r)) {
          out[c++] = v.getLong(r);
        }
      }
    } else if (type instanceof IntegerType || type instanceof DateType) {
      for (int r = 0; r < rows; r++) {
        if (!v.isNullAt(r)) {
          out[c++] = v.getInt(r);
        }
      }
    } else {
      for (int r = 0; r < rows; r++) {
        if (!v.isNullAt(r)) {
          out[c++] = type instanceof BooleanType ? (v.getBoolean(r) ? 1 : 0) : type instanceof ByteType ? v.getByte(r) : v.getShort(r);
        }
      }
    }
    return c;
  }

  /** A value that is not null, as Spark holds it in a row (boxed for primitive types). */
  Object get(int row) {
    if (mode == NOT_NULL || mode == PREDICATE) {
      return getBoolean(row);
    }
    if (mode == ENTRY && (kind == Kind.TEXT || kind == Kind.OTHER)) {
      return objects[slots()[row]];
    }
    return switch (kind) {
      case LONG -> Kind.box(getLong(row), type);
      case DOUBLE -> type instanceof FloatType ? (Object) (float) getDouble(row) : (Object) getDouble(row);
      case TEXT -> mode == STRAIGHT ? (type instanceof BinaryType ? vector.getBinary(row) : vector.getUTF8String(row))
          : projected(row).get(0, type);
      default -> projected(row).get(0, type);
    };
  }

  /** What identifies the entries of a vector's dictionary: Parquet's dictionary, one per column chunk. */
  private static Object read(WritableColumnVector v) {
    try {
      Object spark = DICTIONARY.get(v);
      Object parquet = spark != null && PARQUET_DICTIONARY != null
          && spark instanceof org.apache.spark.sql.execution.datasources.parquet.ParquetDictionary ? PARQUET_DICTIONARY.get(spark)
          : null;
      return parquet != null ? parquet : spark;
    } catch (IllegalAccessException e) {
      return null;
    }
  }

  private static Field field(Class<?> owner, String name) {
    try {
      Field f = owner.getDeclaredField(name);
      f.setAccessible(true);
      return f;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null; // then every value is read straight or computed per row, never per entry
    }
  }

  /**
   * The dictionary slots of one column's rows in a batch (0 where the column is null, else the
   * entry + 1): read once per batch for all the values of that column.
   */
  static final class Slots {
    private long of = -1;
    private int[] slots = new int[0];
    private int top;
    private boolean hasNull;

    /** The slots of batch {@code number}, whose vector is {@code vector} and its entries {@code ids}; read on first call. */
    int[] read(ColumnVector vector, WritableColumnVector ids, int rows, long number) {
      if (of == number) {
        return slots;
      }
      if (slots.length < rows) {
        slots = new int[rows];
      }
      int[] s = slots;
      int max = 0;
      hasNull = vector.hasNull();
      if (hasNull) {
        for (int r = 0; r < rows; r++) {
          int slot = vector.isNullAt(r) ? 0 : ids.getDictId(r) + 1;
          s[r] = slot;
          max = Math.max(max, slot);
        }
      } else {
        for (int r = 0; r < rows; r++) {
          int slot = ids.getDictId(r) + 1;
          s[r] = slot;
          max = Math.max(max, slot);
        }
      }
      top = max;
      of = number;
      return s;
    }

    /** The slots last read. */
    int[] slots() {
      return slots;
    }

    /** The greatest slot last read. */
    int top() {
      return top;
    }

    /** Whether the column had a null in the batch last read. */
    boolean hasNull() {
      return hasNull;
    }
  }

  /** How a value of a type is held: as a long, a double, a text or binary, or an object of another kind. */
  enum Kind {
    LONG, DOUBLE, TEXT, OTHER;

    static Kind of(DataType t) {
      if (t instanceof BooleanType || t instanceof ByteType || t instanceof ShortType || t instanceof IntegerType
          || t instanceof LongType || t instanceof DateType || t instanceof TimestampType || t instanceof TimestampNTZType) {
        return LONG;
      }
      if (t instanceof FloatType || t instanceof DoubleType) {
        return DOUBLE;
      }
      return t instanceof StringType || t instanceof BinaryType ? TEXT : OTHER;
    }

    /** Field {@code i} of {@code r}, of a type of kind LONG, as a long. */
    static long longOf(SpecializedGetters r, int i, DataType t) {
      if (t instanceof BooleanType) {
        return r.getBoolean(i) ? 1 : 0;
      }
      if (t instanceof ByteType) {
        return r.getByte(i);
      }
      if (t instanceof ShortType) {
        return r.getShort(i);
      }
      if (t instanceof IntegerType || t instanceof DateType) {
        return r.getInt(i);
      }
      return r.getLong(i);
    }

    /** A value of a type of kind LONG, held as a long, as Spark holds it in a row. */
    static Object box(long v, DataType t) {
      if (t instanceof BooleanType) {
        return v != 0;
      }
      if (t instanceof ByteType) {
        return (byte) v;
      }
      if (t instanceof ShortType) {
        return (short) v;
      }
      if (t instanceof IntegerType || t instanceof DateType) {
        return (int) v;
      }
      return v;
    }
  }
}
