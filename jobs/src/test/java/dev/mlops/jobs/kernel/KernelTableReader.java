package dev.mlops.jobs.kernel;

import dev.mlops.jobs.kernel.TableDigest.Canonical;
import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.SnapshotBuilder;
import io.delta.kernel.TableManager;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.BinaryType;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.ByteType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.FloatType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.MapType;
import io.delta.kernel.types.ShortType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampNTZType;
import io.delta.kernel.types.TimestampType;
import io.delta.kernel.utils.CloseableIterator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * Reads a Delta table as an engine other than Spark does, through Delta Kernel's default engine
 * (the library Trino's and Flink's Delta connectors build on): the snapshot from the log, the
 * scan's files, each file's Parquet made logical by Kernel (partition values, deletion vectors,
 * column mapping). Its values become canonical with no help from Spark. Not thread-safe.
 *
 * <p>Kernel ({@code delta-kernel-api}, {@code delta-kernel-defaults}) comes with delta-spark 4.2 at
 * compile scope, in the version that matches it; no pom names it. Declaring it in the jobs pom
 * changed the classpath the spark-submit tests build (log4j-core left it).
 */
public final class KernelTableReader {
  private final Engine engine = DefaultEngine.create(new Configuration());

  /** What Kernel read of one table version. */
  public record Read(long version, List<String> columns, TableDigest digest) {}

  /** A table version's protocol: its minimum reader version and every table feature it supports, implied ones too. */
  public record Protocol(int minReaderVersion, java.util.Set<String> features) {}

  /** The protocol of version {@code version} of the table at {@code path}, as Kernel reads it from the log. */
  public Protocol protocol(String path, long version) {
    io.delta.kernel.internal.actions.Protocol p =
        ((io.delta.kernel.internal.SnapshotImpl) TableManager.loadSnapshot(path).atVersion(version).build(engine)).getProtocol();
    return new Protocol(p.getMinReaderVersion(), p.getImplicitlyAndExplicitlySupportedFeatures().stream()
        .map(io.delta.kernel.internal.tablefeatures.TableFeature::featureName)
        .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new)));
  }

  /** The latest version of the table at {@code path}. */
  public long latestVersion(String path) {
    return TableManager.loadSnapshot(path).build(engine).getVersion();
  }

  /** Reads version {@code version} of the table at {@code path}. */
  public Read read(String path, long version) {
    SnapshotBuilder builder = TableManager.loadSnapshot(path).atVersion(version);
    Snapshot snapshot = builder.build(engine);
    Scan scan = snapshot.getScanBuilder().build();
    Row state = scan.getScanState(engine);
    StructType physical = ScanStateRow.getPhysicalDataReadSchema(state);
    TableDigest digest = new TableDigest();
    try (CloseableIterator<FilteredColumnarBatch> files = scan.getScanFiles(engine)) {
      while (files.hasNext()) {
        try (CloseableIterator<Row> fileRows = files.next().getRows()) {
          while (fileRows.hasNext()) {
            readFile(state, physical, fileRows.next(), digest);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> columns = snapshot.getSchema().fields().stream().map(StructField::getName).toList();
    return new Read(snapshot.getVersion(), columns, digest);
  }

  private void readFile(Row state, StructType physical, Row file, TableDigest digest) throws IOException {
    CloseableIterator<ColumnarBatch> data = engine.getParquetHandler()
        .readParquetFiles(Utils.singletonCloseableIterator(InternalScanFileUtils.getAddFileStatus(file)), physical,
            Optional.empty())
        .map(FileReadResult::getData);
    try (CloseableIterator<FilteredColumnarBatch> logical = Scan.transformPhysicalData(engine, state, file, data)) {
      while (logical.hasNext()) {
        addRows(logical.next(), digest);
      }
    }
  }

  private static void addRows(FilteredColumnarBatch batch, TableDigest digest) {
    ColumnarBatch data = batch.getData();
    Optional<ColumnVector> selected = batch.getSelectionVector();
    List<StructField> fields = data.getSchema().fields();
    for (int i = 0; i < data.getSize(); i++) {
      if (selected.isPresent() && (selected.get().isNullAt(i) || !selected.get().getBoolean(i))) {
        continue;
      }
      List<Object> row = new ArrayList<>(fields.size());
      for (int c = 0; c < fields.size(); c++) {
        row.add(value(data.getColumnVector(c), i));
      }
      digest.add(row);
    }
  }

  /** The canonical value of row {@code i} of {@code v}. */
  static Object value(ColumnVector v, int i) {
    if (v.isNullAt(i)) {
      return null;
    }
    DataType t = v.getDataType();
    if (t instanceof BooleanType) {
      return v.getBoolean(i) ? 1L : 0L;
    } else if (t instanceof ByteType) {
      return (long) v.getByte(i);
    } else if (t instanceof ShortType) {
      return (long) v.getShort(i);
    } else if (t instanceof IntegerType) {
      return (long) v.getInt(i);
    } else if (t instanceof LongType) {
      return v.getLong(i);
    } else if (t instanceof FloatType) {
      return (double) v.getFloat(i);
    } else if (t instanceof DoubleType) {
      return v.getDouble(i);
    } else if (t instanceof DecimalType) {
      return v.getDecimal(i);
    } else if (t instanceof StringType) {
      return v.getString(i);
    } else if (t instanceof BinaryType) {
      return v.getBinary(i);
    } else if (t instanceof DateType) {
      return new Canonical.Date(v.getInt(i));
    } else if (t instanceof TimestampType) {
      return new Canonical.Micros(v.getLong(i), false);
    } else if (t instanceof TimestampNTZType) {
      return new Canonical.Micros(v.getLong(i), true);
    }
    return nested(v, i, t);
  }

  private static Object nested(ColumnVector v, int i, DataType t) {
    if (t instanceof StructType s) {
      List<Object> fields = new ArrayList<>(s.length());
      for (int c = 0; c < s.length(); c++) {
        fields.add(value(v.getChild(c), i));
      }
      return new Canonical.Struct(fields);
    } else if (t instanceof ArrayType) {
      return new Canonical.Array(all(v.getArray(i).getElements(), v.getArray(i).getSize()));
    } else if (t instanceof MapType) {
      io.delta.kernel.data.MapValue m = v.getMap(i);
      return new Canonical.MapValue(all(m.getKeys(), m.getSize()), all(m.getValues(), m.getSize()));
    }
    throw new IllegalArgumentException("Kernel read a type this check does not know: " + t);
  }

  private static List<Object> all(ColumnVector v, int size) {
    List<Object> values = new ArrayList<>(size);
    for (int k = 0; k < size; k++) {
      values.add(value(v, k));
    }
    return values;
  }
}
