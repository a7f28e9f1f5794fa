package dev.mlops.core.redis;

import dev.mlops.core.PlatformException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.commands.JedisCommands;
import redis.clients.jedis.params.SetParams;

/**
 * A lease in Redis: a key holding its holder's id that expires {@code leaseMillis} after it was
 * last renewed; a daemon thread renews it every third of that while it is held. Another taker
 * finding a live lease is refused, naming the holder; a holder that died stops renewing, so its
 * lease lapses by Redis's clock and the next taker may have it. Closing stops the renewals and
 * releases the lease if it is still this holder's. The online sync holds one per view version,
 * writing jobs one per warehouse on S3 ({@code dev.mlops.core.runs.SingleWriterLease}).
 */
public final class RedisLease implements AutoCloseable {
  /** How long a lease lives without a renewal. */
  public static final long DEFAULT_MILLIS = 60_000;
  /** Renews KEYS[1] for ARGV[2] ms, or releases it when ARGV[2] is 0, if it still holds ARGV[1]. */
  private static final String RENEW_SCRIPT = String.join("\n",
      "if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end",
      "if ARGV[2] == '0' then redis.call('DEL', KEYS[1]) else redis.call('PEXPIRE', KEYS[1], ARGV[2]) end",
      "return 1");

  /** The errors of a refused lease, in the words of what it guards. */
  public interface Refusal {
    /** Another holder, {@code holder}, has the lease; a dead one lets go after {@code leaseSeconds}. */
    PlatformException heldBy(String holder, long leaseSeconds);

    /** Others took the lease on every attempt. */
    PlatformException contended();
  }

  private final Supplier<UnifiedJedis> connect;
  private final String key;
  private final String holder;
  private final long leaseMillis;
  private final ScheduledExecutorService renewals;

  private RedisLease(Supplier<UnifiedJedis> connect, String key, String holder, long leaseMillis, String threadName) {
    this.connect = connect;
    this.key = key;
    this.holder = holder;
    this.leaseMillis = leaseMillis;
    this.renewals = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
    renewals.scheduleWithFixedDelay(this::renew, leaseMillis / 3, leaseMillis / 3, TimeUnit.MILLISECONDS);
  }

  /**
   * Takes the lease {@code key} for {@code holder}.
   *
   * @param jedis a connection for the taking
   * @param connect opens a connection for each renewal and the release (closed after use)
   * @param threadName the name of the renewing thread
   * @throws PlatformException from {@code refusal} when another holder has it
   */
  public static RedisLease acquire(JedisCommands jedis, Supplier<UnifiedJedis> connect, String key, String holder,
      long leaseMillis, String threadName, Refusal refusal) {
    Objects.requireNonNull(connect, "connect == null");
    for (int attempt = 0; attempt < 2; attempt++) {
      if ("OK".equals(jedis.set(key, holder, SetParams.setParams().nx().px(leaseMillis)))) {
        return new RedisLease(connect, key, holder, leaseMillis, threadName);
      }
      String current = jedis.get(key);
      if (current != null) { // else it lapsed just now: try again
        throw refusal.heldBy(current, Math.max(1, leaseMillis / 1000));
      }
    }
    throw refusal.contended();
  }

  private void renew() {
    try (UnifiedJedis jedis = connect.get()) {
      jedis.eval(RENEW_SCRIPT, List.of(key), List.of(holder, String.valueOf(leaseMillis)));
    } catch (RuntimeException e) {
      // Redis away for a moment: the next renewal retries; a lasting outage lets the lease lapse.
    }
  }

  @Override
  public void close() {
    renewals.shutdownNow();
    try (UnifiedJedis jedis = connect.get()) {
      jedis.eval(RENEW_SCRIPT, List.of(key), List.of(holder, "0"));
    } catch (RuntimeException e) {
      // Unreachable: the lease lapses by itself.
    }
  }
}
