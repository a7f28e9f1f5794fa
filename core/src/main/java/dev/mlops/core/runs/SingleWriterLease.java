package dev.mlops.core.runs;

import dev.mlops.core.CoreErrors;
import dev.mlops.core.PlatformException;
import dev.mlops.core.redis.RedisLease;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import redis.clients.jedis.UnifiedJedis;

/**
 * One writing process at a time on a warehouse in S3. Delta on S3 without a commit coordinator
 * (the DynamoDB LogStore) cannot make two processes' commits to one table exclusive: both may write
 * the same log entry and one commit is lost. Every job appends to {@code ops.runs}, so any two
 * jobs share a table; the unit of exclusion is therefore the warehouse. The first run of a process
 * takes a {@link RedisLease} on the warehouse, in the configured Redis; later and nested runs of the
 * same process (a pipeline's steps, the demo's) share it, and the last one to end releases it.
 * Another process meanwhile fails before it writes anything, naming the holder. Within one process
 * Delta's S3 LogStore orders commits itself.
 *
 * <p>Thread-safe: the process's leases are kept in a static map.
 */
public final class SingleWriterLease implements WriterGuard {
  private static final Map<String, Held> HELD = new HashMap<>();
  private final String root;
  private final Supplier<UnifiedJedis> connect;
  private final long leaseMillis;

  private record Held(RedisLease lease, int entries) {}

  private SingleWriterLease(String root, Supplier<UnifiedJedis> connect, long leaseMillis) {
    this.root = Objects.requireNonNull(root, "root == null");
    this.connect = Objects.requireNonNull(connect, "connect == null");
    this.leaseMillis = leaseMillis;
  }

  /** Whether the warehouse at {@code root} needs one writing process at a time: S3 ({@code s3a://}, {@code s3://}, {@code s3n://}). */
  public static boolean needed(String root) {
    String scheme = root.contains("://") ? root.substring(0, root.indexOf("://")).toLowerCase(Locale.ROOT) : "";
    return scheme.equals("s3a") || scheme.equals("s3") || scheme.equals("s3n");
  }

  /** The guard of the warehouse at {@code root}, its lease in the Redis that {@code connect} opens. */
  public static SingleWriterLease of(String root, Supplier<UnifiedJedis> connect) {
    return of(root, connect, RedisLease.DEFAULT_MILLIS);
  }

  /** As {@link #of(String, Supplier)}, with a lease of {@code leaseMillis} (tests). */
  static SingleWriterLease of(String root, Supplier<UnifiedJedis> connect, long leaseMillis) {
    return new SingleWriterLease(root, connect, leaseMillis);
  }

  /** The Redis key of the warehouse's lease. */
  public static String key(String root) {
    return "mlops:warehouse-writer:{" + root + "}";
  }

  @Override
  public Entry enter(String job) {
    String key = key(root);
    synchronized (HELD) {
      Held held = HELD.get(key);
      if (held == null) {
        held = new Held(take(key, job), 0);
      }
      HELD.put(key, new Held(held.lease(), held.entries() + 1));
    }
    boolean[] closed = {false};
    return () -> {
      synchronized (HELD) {
        if (closed[0]) {
          return;
        }
        closed[0] = true;
        Held held = HELD.get(key);
        if (held.entries() == 1) {
          HELD.remove(key);
          held.lease().close();
        } else {
          HELD.put(key, new Held(held.lease(), held.entries() - 1));
        }
      }
    };
  }

  private RedisLease take(String key, String job) {
    String holder = "job " + job + ", process " + ProcessHandle.current().pid() + " on " + host();
    RedisLease.Refusal refusal = new RedisLease.Refusal() {
      @Override
      public PlatformException heldBy(String other, long leaseSeconds) {
        return CoreErrors.warehouseWriterBusy(root, job, other, leaseSeconds);
      }

      @Override
      public PlatformException contended() {
        return CoreErrors.warehouseWriterBusy(root, job, "others, on every attempt", leaseMillis / 1000);
      }
    };
    try (UnifiedJedis jedis = connect.get()) {
      return RedisLease.acquire(jedis, connect, key, holder, leaseMillis, "warehouse-writer-lease", refusal);
    } catch (PlatformException e) {
      throw e;
    } catch (RuntimeException e) {
      throw CoreErrors.writerLeaseUnreachable(root, job, e);
    }
  }

  private static String host() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "an unknown host";
    }
  }
}
