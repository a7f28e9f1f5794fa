package dev.mlops.features.online;

import dev.mlops.core.PlatformException;
import dev.mlops.features.FeatureErrors;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.commands.JedisCommands;
import redis.clients.jedis.params.SetParams;

/**
 * One sync at a time per view version: a sync holds a lease, a Redis key holding its run id that
 * expires {@value #LEASE_MILLIS} ms after it was last renewed; a daemon thread of the driver renews
 * it every third of that while the sync runs. Another sync finding a live lease refuses to start;
 * a sync that died stops renewing, so its lease lapses by Redis's clock and the next sync may
 * take over. Closing stops the renewals and releases the lease if it is still this sync's.
 */
final class SyncLease implements AutoCloseable {
  static final long LEASE_MILLIS = 60_000;
  /** Renews KEYS[1] for ARGV[2] ms, or releases it when ARGV[2] is 0, if it still holds ARGV[1]. */
  private static final String RENEW_SCRIPT = String.join("\n",
      "if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end",
      "if ARGV[2] == '0' then redis.call('DEL', KEYS[1]) else redis.call('PEXPIRE', KEYS[1], ARGV[2]) end",
      "return 1");

  private final RedisSettings redis;
  private final String key;
  private final String runId;
  private final long leaseMillis;
  private final ScheduledExecutorService renewals;

  private SyncLease(RedisSettings redis, String key, String runId, long leaseMillis) {
    this.redis = redis;
    this.key = key;
    this.runId = runId;
    this.leaseMillis = leaseMillis;
    this.renewals = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "online-sync-lease");
      t.setDaemon(true);
      return t;
    });
    renewals.scheduleWithFixedDelay(this::renew, leaseMillis / 3, leaseMillis / 3, TimeUnit.MILLISECONDS);
  }

  /**
   * Takes the lease {@code key} for {@code runId}.
   *
   * @throws PlatformException when another sync holds it, naming that run
   */
  static SyncLease acquire(JedisCommands jedis, RedisSettings redis, String key, String runId, String what) {
    return acquire(jedis, redis, key, runId, what, LEASE_MILLIS);
  }

  /** As {@link #acquire(JedisCommands, RedisSettings, String, String, String)}, for a lease of {@code leaseMillis} (tests). */
  static SyncLease acquire(JedisCommands jedis, RedisSettings redis, String key, String runId, String what, long leaseMillis) {
    for (int attempt = 0; attempt < 2; attempt++) {
      if ("OK".equals(jedis.set(key, runId, SetParams.setParams().nx().px(leaseMillis)))) {
        return new SyncLease(redis, key, runId, leaseMillis);
      }
      String holder = jedis.get(key);
      if (holder != null) { // else it lapsed just now: try again
        throw FeatureErrors.syncBusy(what, holder, Math.max(1, leaseMillis / 1000));
      }
    }
    throw FeatureErrors.syncContended(what);
  }

  private void renew() {
    try (UnifiedJedis jedis = redis.open()) {
      jedis.eval(RENEW_SCRIPT, List.of(key), List.of(runId, String.valueOf(leaseMillis)));
    } catch (RuntimeException e) {
      // Redis away for a moment: the next renewal retries; the writers report a lasting outage.
    }
  }

  @Override
  public void close() {
    renewals.shutdownNow();
    try (UnifiedJedis jedis = redis.open()) {
      jedis.eval(RENEW_SCRIPT, List.of(key), List.of(runId, "0"));
    } catch (RuntimeException e) {
      // Unreachable: the lease lapses by itself.
    }
  }
}
