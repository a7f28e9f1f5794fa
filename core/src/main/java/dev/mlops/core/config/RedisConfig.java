package dev.mlops.core.config;

/**
 * The Redis server of the online store.
 *
 * <p>Without a {@code host} the platform runs its own local server, started on demand (the demo
 * and local runs need nothing installed). The password is a {@link Secret}: give it as
 * {@code ${REDIS_PASSWORD}} so it comes from the environment, never from the file.
 *
 * @param host the server's host name; null for a local server started on demand
 * @param port the port (default 6379)
 * @param database the database number (default 0)
 * @param user the ACL user name, if any
 * @param password the password, from the environment
 * @param tls whether to connect with TLS (default false)
 * @param timeoutMs connect and read timeout in milliseconds (default 2000)
 */
public record RedisConfig(
    String host, Integer port, Integer database, String user, Secret password, Boolean tls, Integer timeoutMs) {

  public RedisConfig {
    port = port == null ? 6379 : port;
    if (port < 1 || port > 65535) {
      throw new ConfigValueException("port", "must be between 1 and 65535, got " + port);
    }
    database = database == null ? 0 : database;
    if (database < 0) {
      throw new ConfigValueException("database", "must not be negative, got " + database);
    }
    password = password == null ? Secret.none() : password;
    tls = tls != null && tls;
    timeoutMs = timeoutMs == null ? 2000 : timeoutMs;
    if (host != null && host.isBlank()) {
      host = null;
    }
  }

  /** No server configured: a local one is started on demand. */
  public static RedisConfig defaults() {
    return new RedisConfig(null, null, null, null, null, null, null);
  }

  /** Whether the platform must start its own local server. */
  public boolean managed() {
    return host == null;
  }

  /** A copy pointing at {@code newHost:newPort}. */
  public RedisConfig withAddress(String newHost, int newPort) {
    return new RedisConfig(newHost, newPort, database, user, password, tls, timeoutMs);
  }

  /** {@code host:port} for messages; never includes credentials. */
  public String address() {
    return (host == null ? "(local server)" : host) + ":" + port;
  }
}
