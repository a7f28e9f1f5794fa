package dev.mlops.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP proxy in front of a Redis server that stops relaying, by itself, once its clients
 * have sent more than a budget of bytes (or of occurrences of a text, {@link #afterOccurrences}): a
 * sync through it is then held part-way, whatever the speed of the machine, until the test {@link #release()
 * releases} it, typically after stopping or replacing the server ({@link #upstream}), or kills the
 * client. While held, nothing moves in either direction, not even the news that the server went
 * away. Its port stays bound until {@link #close()}.
 *
 * <p>Test code (featurelib's online faults, jobs' killed sync); thread-safe.
 */
public final class GatedProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final long budget;
  /** The text whose occurrences are counted instead of bytes, or null. */
  private final byte[] text;
  private final AtomicLong sent = new AtomicLong();
  private final CountDownLatch gated = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private volatile InetSocketAddress upstream;

  /** A proxy to {@code host:port} that holds everything once its clients sent more than {@code budget} bytes. */
  public GatedProxy(String host, int port, long budget) throws IOException {
    this(host, port, budget, null);
  }

  private GatedProxy(String host, int port, long budget, byte[] text) throws IOException {
    this.upstream = new InetSocketAddress(host, port);
    this.budget = budget;
    this.text = text;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    start("gated-proxy-accept", this::accept);
  }

  /**
   * A proxy to {@code host:port} that holds everything once its clients sent {@code text} (a key
   * prefix, a command name) more than {@code count} times: what they sent in the same read as the
   * one over the count is held too.
   */
  public static GatedProxy afterOccurrences(String host, int port, String text, long count) throws IOException {
    return new GatedProxy(host, port, count, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** The loopback port clients connect to. */
  public int port() {
    return listener.getLocalPort();
  }

  /** What the clients sent so far: bytes, or the occurrences counted. */
  public long sent() {
    return sent.get();
  }

  /** Waits until the clients sent more than the budget and the proxy holds them; false after {@code timeout}. */
  public boolean awaitHolding(Duration timeout) throws InterruptedException {
    return gated.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The server that connections made from now on are relayed to. */
  public void upstream(String host, int port) {
    upstream = new InetSocketAddress(host, port);
  }

  /** No server any more: connections made from now on are closed at once, as if refused. */
  public void upstreamDown() {
    upstream = null;
  }

  /**
   * Relays again, for good: what was held goes on, and connections whose server went away are
   * closed, as the clients would have seen had there been no proxy.
   */
  public void release() {
    released.countDown();
  }

  @Override
  public void close() throws IOException {
    release();
    listener.close();
    sockets.forEach(GatedProxy::closeQuietly);
  }

  private void accept() {
    while (!listener.isClosed()) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      Socket server = new Socket();
      sockets.add(client);
      sockets.add(server);
      InetSocketAddress to = upstream;
      try {
        if (to == null) {
          throw new IOException("no server");
        }
        server.connect(to, 5_000);
      } catch (IOException e) {
        closeQuietly(client); // the server is down: the client sees its connection closed
        closeQuietly(server);
        continue;
      }
      start("gated-proxy-up", () -> relay(client, server, true));
      start("gated-proxy-down", () -> relay(server, client, false));
    }
  }

  private void relay(Socket from, Socket to, boolean counted) {
    byte[] buf = new byte[8192];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buf)) > 0) {
        if (counted && sent.addAndGet(text == null ? n : occurrences(buf, n)) > budget) {
          gated.countDown();
        }
        holdWhileGated();
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // one side went away: so does the other, below
    } finally {
      holdWhileGated();
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  /**
   * The times {@link #text} occurs in the first {@code n} bytes of {@code buf}. An occurrence cut
   * by the end of a read is not counted: the count is a lower bound, reached a little later.
   */
  private long occurrences(byte[] buf, int n) {
    long found = 0;
    for (int i = 0; i + text.length <= n; i++) {
      if (java.util.Arrays.equals(buf, i, i + text.length, text, 0, text.length)) {
        found++;
      }
    }
    return found;
  }

  private void holdWhileGated() {
    if (gated.getCount() > 0) {
      return;
    }
    try {
      released.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void start(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
