package dev.mlops.features.online;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua script every online write runs, atomically in Redis: it replaces an entity's values
 * only when the stored event time (then created time) is not newer, so an out-of-order or racing
 * older write never wins; no read-then-write round trip.
 *
 * <pre>
 * KEYS[1]  the entity hash
 * ARGV[1]  event time (micros)     ARGV[2] created time (micros)
 * ARGV[3]  expire at (epoch millis: event time + TTL)
 * ARGV[4]  1 to delete the entity (its latest row is an expiry row), else 0
 * ARGV[5]  1 to write whatever is stored (a full rebuild), else 0
 * ARGV[6]  the sync's run id (field _gen)
 * ARGV[7]  how many fields to delete (null values) = n, then n field names,
 *          then field/value pairs to set
 * returns  1 written, 2 deleted, 0 skipped (stored value newer)
 * </pre>
 */
final class UpsertScript {
  public static final String SOURCE = String.join("\n",
      "if ARGV[5] ~= '1' then",
      "  local cur = redis.call('HMGET', KEYS[1], '_ts', '_ct')",
      "  if cur[1] then",
      "    local cts = tonumber(cur[1]); local nts = tonumber(ARGV[1])",
      "    if cts > nts or (cts == nts and tonumber(cur[2] or '0') > tonumber(ARGV[2])) then return 0 end",
      "  end",
      "end",
      "if ARGV[4] == '1' then redis.call('DEL', KEYS[1]); return 2 end",
      "local n = tonumber(ARGV[7])",
      "if n > 0 then redis.call('HDEL', KEYS[1], unpack(ARGV, 8, 7 + n)) end",
      "redis.call('HSET', KEYS[1], '_ts', ARGV[1], '_ct', ARGV[2], '_gen', ARGV[6], unpack(ARGV, 8 + n))",
      "redis.call('PEXPIREAT', KEYS[1], ARGV[3])",
      "return 1");

  public static final String SHA = sha1(SOURCE);

  private UpsertScript() {}

  private static String sha1(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
