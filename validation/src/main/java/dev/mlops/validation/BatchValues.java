package dev.mlops.validation;

import dev.mlops.core.spark.ReadOnlyRow;
import dev.mlops.validation.analyzers.ValueBatch;
import java.io.Serializable;
import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.BasePredicate;
import org.apache.spark.sql.catalyst.expressions.IsNotNull;
import org.apache.spark.sql.catalyst.expressions.MutableProjection;
import org.apache.spark.sql.catalyst.expressions.Predicate;
import org.apache.spark.sql.catalyst.expressions.SpecializedGetters;
import org.apache.spark.sql.catalyst.expressions.SpecificInternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.catalyst.util.MapData;
import org.apache.spark.sql.execution.vectorized.WritableColumnVector;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.Decimal;
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
import org.apache.spark.unsafe.types.CalendarInterval;
import org.apache.spark.unsafe.types.GeographyVal;
import org.apache.spark.unsafe.types.GeometryVal;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.unsafe.types.VariantVal;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The shared pass's projected values of a Parquet column batch, read in place: the
 * {@link dev.mlops.validation.analyzers.ScanState}s read a whole value column at a time
 * ({@link ValueBatch}), or a row at a time as they read a projected row. Each
 * value has a {@link Source}, which per batch reads it one of five ways: straight from the
 * column's vector (a column as it is); as the vector's null flag (a column being set); once per
 * entry of the column's Parquet dictionary (an expression of one dictionary-encoded column, the
 * column itself included: an allowed set, a pattern, a predicate, a cast; its value is kept per
 * entry in flat arrays, so a regular expression runs once per distinct text of a row group, not
 * once per row, and idempotent states can add each entry once, see {@link ValueBatch#entries});
 * or, from the batch's row, by Spark's compiled predicate (a condition that is never null) or
 * compiled projection.
 */
final class BatchValues extends ReadOnlyRow implements ValueBatch {
  private final Source[] sources;
  private int rows;
  private int row;

  BatchValues(Source[] sources) {
    super(Arrays.stream(sources).map(s -> s.type).toArray(DataType[]::new));
    this.sources = sources;
  }

  /** Reads the rows of {@code batch} from now on. */
  void batch(ColumnarBatch batch) {
    rows = batch.numRows();
    for (Source s : sources) {
      s.bind(batch);
    }
  }

  @Override
  public int rows() {
    return rows;
  }

  /** Reads row {@code row} of the batch from now on. */
  @Override
  public InternalRow row(int row) {
    this.row = row;
    return this;
  }

  @Override
  public long trueCount(int i) {
    return sources[i].trueCount(rows);
  }

  @Override
  public int doubles(int i, double[] into) {
    return sources[i].doubles(rows, into);
  }

  @Override
  public int longs(int i, long[] into) {
    return sources[i].longs(rows, into);
  }

  @Override
  public boolean entries(int i, int[] into) {
    return sources[i].entries(rows, into);
  }

  @Override
  public Object dictionary(int i) {
    return sources[i].dictionary;
  }


  @Override
  public boolean isNullAt(int i) {
    return sources[i].isNull(row);
  }

  @Override
  public boolean getBoolean(int i) {
    return sources[i].getBoolean(row);
  }

  @Override
  public byte getByte(int i) {
    return (byte) sources[i].getLong(row);
  }

  @Override
  public short getShort(int i) {
    return (short) sources[i].getLong(row);
  }

  @Override
  public int getInt(int i) {
    return (int) sources[i].getLong(row);
  }

  @Override
  public long getLong(int i) {
    return sources[i].getLong(row);
  }

  @Override
  public float getFloat(int i) {
    return (float) sources[i].getDouble(row);
  }

  @Override
  public double getDouble(int i) {
    return sources[i].getDouble(row);
  }

  @Override
  public UTF8String getUTF8String(int i) {
    return (UTF8String) sources[i].get(row);
  }

  @Override
  public byte[] getBinary(int i) {
    return (byte[]) sources[i].get(row);
  }

  @Override
  public Decimal getDecimal(int i, int precision, int scale) {
    return (Decimal) sources[i].get(row);
  }

  @Override
  public GeographyVal getGeography(int i) {
    return (GeographyVal) sources[i].get(row);
  }

  @Override
  public GeometryVal getGeometry(int i) {
    return (GeometryVal) sources[i].get(row);
  }

  @Override
  public CalendarInterval getInterval(int i) {
    return (CalendarInterval) sources[i].get(row);
  }

  @Override
  public VariantVal getVariant(int i) {
    return (VariantVal) sources[i].get(row);
  }

  @Override
  public InternalRow getStruct(int i, int numFields) {
    return (InternalRow) sources[i].get(row);
  }

  @Override
  public ArrayData getArray(int i) {
    return (ArrayData) sources[i].get(row);
  }

  @Override
  public MapData getMap(int i) {
    return (MapData) sources[i].get(row);
  }

  @Override
  public Object get(int i, DataType type) {
    return sources[i].isNull(row) ? null : sources[i].get(row);
  }

  /**
   * Where one projected value comes from. Made on the executor, one per value and task: it holds
   * a compiled projection and the values kept per dictionary entry.
   */
  static final class Source {
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
    private ColumnVector vector;
    private int mode;
    private WritableColumnVector ids; // of the dictionary entries, in ENTRY mode
    private Object dictionary; // whose entries the arrays below hold
    // Per slot: 0 for the value where the column is null, entry + 1 for an entry of the dictionary.
    private byte[] known = new byte[0];
    private long[] longs = new long[0];
    private double[] doubles = new double[0];
    private Object[] objects = new Object[0];
    private int lastRow = -1;
    private int lastSlot;
    private InternalRow projected;

    /**
     * @param expression the value, over the scan's output
     * @param output the scan's output
     * @param partition the task's partition (for expressions that are not deterministic)
     */
    Source(Expression expression, List<Attribute> output, int partition) {
      this.type = expression.dataType();
      List<Attribute> read = CollectionConverters.asJava(expression.references().toSeq());
      int ordinal = -1;
      if (read.size() == 1) {
        for (int i = 0; i < output.size(); i++) {
          if (output.get(i).exprId().equals(read.get(0).exprId())) {
            ordinal = i;
          }
        }
      }
      this.column = ordinal;
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

    void bind(ColumnarBatch batch) {
      this.batch = batch;
      lastRow = -1;
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
        }
      } else {
        mode = isColumn && kind != Kind.OTHER ? STRAIGHT : predicate != null ? PREDICATE : PROJECTED;
      }
    }

    /** The value's slot at {@code row} in ENTRY mode, its value computed on first sight. */
    private int slot(int row) {
      if (row == lastRow) {
        return lastSlot;
      }
      int slot = vector.isNullAt(row) ? 0 : ids.getDictId(row) + 1;
      if (slot >= known.length) {
        int size = Math.max(slot + 1, 2 * known.length);
        known = Arrays.copyOf(known, size);
        switch (kind) {
          case LONG -> longs = Arrays.copyOf(longs, size);
          case DOUBLE -> doubles = Arrays.copyOf(doubles, size);
          default -> objects = Arrays.copyOf(objects, size);
        }
      }
      if (known[slot] == UNKNOWN) {
        InternalRow p = projection.apply(batch.getRow(row));
        if (p.isNullAt(0)) {
          known[slot] = NULL;
        } else {
          known[slot] = VALUE;
          switch (kind) {
            case LONG -> longs[slot] = Kind.longOf(p, 0, type);
            case DOUBLE -> doubles[slot] = type instanceof FloatType ? p.getFloat(0) : p.getDouble(0);
            default -> objects[slot] = InternalRow.copyValue(p.get(0, type));
          }
        }
      }
      lastRow = row;
      lastSlot = slot;
      return slot;
    }

    // Each reads its array after slot(row), which may grow it.
    private byte knownAt(int row) {
      int slot = slot(row);
      return known[slot];
    }

    private long longsAt(int row) {
      int slot = slot(row);
      return longs[slot];
    }

    private double doublesAt(int row) {
      int slot = slot(row);
      return doubles[slot];
    }

    private Object objectsAt(int row) {
      int slot = slot(row);
      return objects[slot];
    }

    private InternalRow projected(int row) {
      if (row != lastRow) {
        projected = projection.apply(batch.getRow(row));
        lastRow = row;
      }
      return projected;
    }

    /** In ENTRY mode, the first {@code rows} rows' slots (0 for a null column, else the entry + 1) into {@code into}, and true. */
    boolean entries(int rows, int[] into) {
      if (mode != ENTRY) {
        return false;
      }
      for (int r = 0; r < rows; r++) {
        into[r] = slot(r);
      }
      return true;
    }

    boolean isNull(int row) {
      return switch (mode) {
        case STRAIGHT -> vector.isNullAt(row);
        case NOT_NULL, PREDICATE -> false;
        case ENTRY -> knownAt(row) == NULL;
        default -> projected(row).isNullAt(0);
      };
    }

    boolean getBoolean(int row) {
      return switch (mode) {
        case STRAIGHT -> vector.getBoolean(row);
        case NOT_NULL -> !vector.isNullAt(row);
        case PREDICATE -> predicate.eval(batch.getRow(row));
        case ENTRY -> longsAt(row) != 0;
        default -> projected(row).getBoolean(0);
      };
    }

    /** A value of a boolean or integral type, or a date or time, as a long. */
    long getLong(int row) {
      return switch (mode) {
        case STRAIGHT -> Kind.longOf(batch.getRow(row), column, type);
        case ENTRY -> longsAt(row);
        default -> Kind.longOf(projected(row), 0, type);
      };
    }

    /** A value of a floating point type as a double. */
    double getDouble(int row) {
      return switch (mode) {
        case STRAIGHT -> type instanceof FloatType ? vector.getFloat(row) : vector.getDouble(row);
        case ENTRY -> doublesAt(row);
        default -> type instanceof FloatType ? projected(row).getFloat(0) : projected(row).getDouble(0);
      };
    }

    /** The number of the first {@code rows} rows whose value {@link #getBoolean} reads as true. */
    long trueCount(int rows) {
      long count = 0;
      for (int r = 0; r < rows; r++) {
        if (getBoolean(r)) {
          count++;
        }
      }
      return count;
    }

    /** The values of the first {@code rows} rows that are not null, as {@link #getDouble} reads them, into {@code into}; how many. */
    int doubles(int rows, double[] into) {
      int count = 0;
      for (int r = 0; r < rows; r++) {
        if (!isNull(r)) {
          into[count++] = getDouble(r);
        }
      }
      return count;
    }

    /** The values of the first {@code rows} rows that are not null, as {@link #getLong} reads them, into {@code into}; how many. */
    int longs(int rows, long[] into) {
      int count = 0;
      for (int r = 0; r < rows; r++) {
        if (!isNull(r)) {
          into[count++] = getLong(r);
        }
      }
      return count;
    }

    /** A value that is not null, as Spark holds it in a row (boxed for primitive types). */
    Object get(int row) {
      if (mode == NOT_NULL || mode == PREDICATE) {
        return getBoolean(row);
      }
      if (mode == ENTRY && (kind == Kind.TEXT || kind == Kind.OTHER)) {
        return objectsAt(row);
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

  /** What a {@link Source} is made from on the executor: the value's expression over the scan's output. */
  record Plan(List<Expression> expressions, List<Attribute> output) implements Serializable {
    private static final long serialVersionUID = 1L;

    Source[] sources(int partition) {
      return expressions.stream().map(e -> new Source(e, output, partition)).toArray(Source[]::new);
    }
  }
}
