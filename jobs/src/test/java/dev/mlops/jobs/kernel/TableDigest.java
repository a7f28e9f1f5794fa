package dev.mlops.jobs.kernel;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The row count and an order-independent checksum of a table's rows, each row given as a list of
 * canonical values (see {@link Canonical}): the sum, modulo 2^64, of the first 8 bytes of each
 * row's SHA-256. A sum, not an XOR, so that a duplicated row changes it. Two engines reading the
 * same table version each build their own rows of canonical values and must reach the same digest.
 * Not thread-safe.
 */
public final class TableDigest {
  private final MessageDigest sha;
  private long rows;
  private long checksum;

  public TableDigest() {
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Adds one row of canonical values, in the table's column order. */
  public void add(List<Object> row) {
    sha.reset();
    sha.update(Canonical.encode(Canonical.struct(row)));
    checksum += ByteBuffer.wrap(sha.digest()).getLong();
    rows++;
  }

  public long rows() {
    return rows;
  }

  public long checksum() {
    return checksum;
  }

  @Override
  public String toString() {
    return rows + " rows, checksum " + Long.toHexString(checksum);
  }

  /**
   * The canonical values both readers map a table's values to: {@code null}, {@link Long} (every
   * integral type and booleans as 0/1), {@link Double} (floats widened), {@link BigDecimal},
   * {@link String}, {@code byte[]}, {@link Date} (days since the epoch), {@link Micros} (a
   * timestamp), {@link Struct}, {@link Array} and {@link MapValue}. Each is encoded with a tag
   * and lengths, so that no two different values share an encoding.
   */
  public static final class Canonical {
    private Canonical() {}

    /** A date: days since 1970-01-01. */
    public record Date(long days) {}

    /** A timestamp: microseconds since the epoch, in UTC or, when {@code local}, without a zone. */
    public record Micros(long micros, boolean local) {}

    /** A struct's fields in their schema order. */
    public record Struct(List<Object> fields) {}

    /** An array's elements in order. */
    public record Array(List<Object> elements) {}

    /** A map's entries, in any order: the encoding sorts them. */
    public record MapValue(List<Object> keys, List<Object> values) {}

    public static Struct struct(List<Object> fields) {
      return new Struct(fields);
    }

    /** The encoding of {@code value}, a canonical value. */
    public static byte[] encode(Object value) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      write(value, new java.io.DataOutputStream(out));
      return out.toByteArray();
    }

    private static void write(Object v, java.io.DataOutputStream out) {
      try {
        if (v == null) {
          out.writeByte('N');
        } else if (v instanceof Long l) {
          out.writeByte('I');
          out.writeLong(l);
        } else if (v instanceof Double d) {
          out.writeByte('F');
          out.writeLong(Double.doubleToLongBits(d));
        } else if (v instanceof BigDecimal d) {
          bytes(out, 'M', d.toPlainString().getBytes(StandardCharsets.UTF_8));
        } else if (v instanceof String s) {
          bytes(out, 'S', s.getBytes(StandardCharsets.UTF_8));
        } else if (v instanceof byte[] b) {
          bytes(out, 'B', b);
        } else if (v instanceof Date d) {
          out.writeByte('D');
          out.writeLong(d.days());
        } else if (v instanceof Micros t) {
          out.writeByte(t.local() ? 'L' : 'T');
          out.writeLong(t.micros());
        } else if (v instanceof Struct s) {
          list(out, 'R', s.fields());
        } else if (v instanceof Array a) {
          list(out, 'A', a.elements());
        } else if (v instanceof MapValue m) {
          map(out, m);
        } else {
          throw new IllegalArgumentException("not a canonical value: " + v.getClass().getName() + " " + v);
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    private static void bytes(java.io.DataOutputStream out, char tag, byte[] b) throws java.io.IOException {
      out.writeByte(tag);
      out.writeInt(b.length);
      out.write(b);
    }

    private static void list(java.io.DataOutputStream out, char tag, List<Object> values) throws java.io.IOException {
      out.writeByte(tag);
      out.writeInt(values.size());
      for (Object e : values) {
        write(e, out);
      }
    }

    private static void map(java.io.DataOutputStream out, MapValue m) throws java.io.IOException {
      List<byte[]> entries = new ArrayList<>();
      for (int i = 0; i < m.keys().size(); i++) {
        entries.add(encode(new Array(Arrays.asList(m.keys().get(i), m.values().get(i)))));
      }
      entries.sort(Arrays::compare);
      out.writeByte('P');
      out.writeInt(entries.size());
      for (byte[] e : entries) {
        out.write(e);
      }
    }
  }
}
