package dev.mlops.core.redis;

import dev.mlops.core.Processes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * A real Redis server process on a loopback port, for local runs (the demo, when no Redis is
 * configured) and for tests. Uses {@code redis-server} from the {@code PATH} when there is one,
 * otherwise the binary shipped inside the {@code com.github.codemonstur:embedded-redis} artifact.
 * Persistence is off ({@code --save "" --appendonly no}).
 *
 * <p>The server binds its port itself, so a port found free may be taken by another process
 * before it does: the start then tries again on another free port, up to {@value #PORT_ATTEMPTS}
 * times. A server counts as started only when the process answering on the port is this one.
 *
 * <p>Not thread-safe; {@link #close()} stops the process. The server can be {@link #stop() stopped}
 * and {@link #start() started} again on the same port, to test what happens when Redis goes away.
 */
public final class LocalRedisServer implements AutoCloseable {
  /** How many free ports a start tries when another process takes the port first. */
  static final int PORT_ATTEMPTS = 5;

  private final Path binary;
  private final int port;
  private final List<String> extraArgs;
  private Process process;

  private LocalRedisServer(Path binary, int port, List<String> extraArgs) {
    this.binary = binary;
    this.port = port;
    this.extraArgs = List.copyOf(extraArgs);
  }

  /** Starts a server on a free loopback port. */
  public static LocalRedisServer startOnFreePort(String... extraArgs) {
    return startOnFirstFree(findBinary(), LocalRedisServer::freePort, List.of(extraArgs));
  }

  /**
   * Starts a server on a free loopback port that outlives this JVM (nothing stops it at exit),
   * logging to {@code log}. Used for the platform's own local server.
   */
  public static LocalRedisServer startDetached(Path log) {
    return startOnFirstFree(findBinary(), LocalRedisServer::freePort, List.of("--logfile", log.toString()));
  }

  /**
   * Starts a server on the first port of {@code ports} that is still free when the server binds
   * it, trying at most {@value #PORT_ATTEMPTS} ports.
   */
  static LocalRedisServer startOnFirstFree(Path binary, IntSupplier ports, List<String> extraArgs) {
    PortTakenException taken = null;
    for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
      LocalRedisServer server = new LocalRedisServer(binary, ports.getAsInt(), extraArgs);
      try {
        server.start();
        return server;
      } catch (PortTakenException e) {
        if (taken != null) {
          e.addSuppressed(taken);
        }
        taken = e;
      }
    }
    throw new IllegalStateException("Cannot start a Redis server: another process took each of the "
        + PORT_ATTEMPTS + " free ports tried before the server could bind it", taken);
  }

  /** The server process's id. */
  public long pid() {
    return process == null ? -1 : process.pid();
  }

  /** The loopback address the server listens on. */
  public String host() {
    return "127.0.0.1";
  }

  /** The port the server listens on. */
  public int port() {
    return port;
  }

  /** The binary in use. */
  public Path binary() {
    return binary;
  }

  /** Whether the process is alive. */
  public boolean running() {
    return process != null && process.isAlive();
  }

  /**
   * Starts the process (again) and waits until it answers on its port.
   *
   * @throws IllegalStateException when it does not start; a {@link PortTakenException} when
   *     another process holds the port
   */
  public void start() {
    if (running()) {
      return;
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(binary.toString());
    cmd.addAll(List.of("--port", String.valueOf(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
        "--protected-mode", "no", "--daemonize", "no", "--loglevel", "warning"));
    cmd.addAll(extraArgs);
    try {
      process = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start " + binary + " on port " + port, e);
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        int code = process.exitValue();
        process = null;
        if (!canBind(port)) {
          throw new PortTakenException(binary, port, code);
        }
        throw new IllegalStateException("Redis server " + binary + " exited at start with code " + code + " (port " + port
            + " was free)");
      }
      // Another Redis may answer on the port while ours fails to bind it: only our own counts.
      if (answersAs(process.pid())) {
        return;
      }
      sleep(20);
    }
    stop();
    throw new IllegalStateException("Redis server on port " + port + " did not answer within 15 s");
  }

  /** Kills the process and waits for it to end. */
  public void stop() {
    if (process != null) {
      Processes.stop(process, Duration.ofSeconds(5));
      process = null;
    }
  }

  @Override
  public void close() {
    stop();
  }

  /** Whether the server answering on the port is the process {@code pid} (per its INFO). */
  private boolean answersAs(long pid) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      s.setSoTimeout(500);
      OutputStream out = s.getOutputStream();
      out.write("INFO server\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      StringBuilder reply = new StringBuilder();
      byte[] buf = new byte[4096];
      String needle = "process_id:" + pid + "\r\n";
      int n;
      while ((n = in.read(buf)) > 0) { // a bulk reply of a few KB: read until the pid line or its end
        reply.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
        if (reply.indexOf("-NOAUTH") == 0) { // a password of ours answers for it, another server's does not
          return extraArgs.contains("--requirepass") || extraArgs.contains("--aclfile");
        }
        if (reply.indexOf("process_id:") >= 0 && reply.indexOf("\r\n", reply.indexOf("process_id:")) >= 0) {
          return reply.indexOf(needle) >= 0;
        }
      }
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  /** Whether a server can bind {@code port} on loopback now, as Redis does: no other process holds it. */
  static boolean canBind(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true); // as Redis does, so a closed connection's TIME_WAIT does not count
      s.bind(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 1);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** {@code redis-server} on the PATH, else the binary from the embedded-redis artifact. */
  static Path findBinary() {
    return onPath().orElseGet(LocalRedisServer::extractBundled);
  }

  private static Optional<Path> onPath() {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, "redis-server");
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static Path extractBundled() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    String resource;
    if (os.contains("linux")) {
      resource = arch.contains("aarch64") || arch.contains("arm64") ? "redis-server-6.2.7-linux-arm64"
          : arch.contains("64") ? "redis-server-6.2.6-v5-linux-amd64" : "redis-server-6.2.7-linux-386";
    } else if (os.contains("mac")) {
      resource = arch.contains("aarch64") || arch.contains("arm64") ? "redis-server-6.2.6-v5-darwin-arm64"
          : "redis-server-6.2.6-v5-darwin-amd64";
    } else {
      throw new IllegalStateException(
          "Cannot start a local Redis server on " + os + "/" + arch + ": install redis-server on the PATH or set redis.host");
    }
    try (InputStream in = LocalRedisServer.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("Cannot start a local Redis server: no redis-server on the PATH and "
            + resource + " is not on the classpath (com.github.codemonstur:embedded-redis)");
      }
      Path dir = Path.of(System.getProperty("java.io.tmpdir"), "mlops-redis");
      Files.createDirectories(dir);
      Path target = dir.resolve(resource);
      if (!Files.isExecutable(target)) {
        Path tmp = Files.createTempFile(dir, resource, ".part");
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        tmp.toFile().setExecutable(true);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot extract the bundled Redis server " + resource, e);
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot find a free port", e);
    }
  }

  /** The server could not bind its port: another process holds it. */
  static final class PortTakenException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    PortTakenException(Path binary, int port, int code) {
      super("Redis server " + binary + " exited at start with code " + code + ": port " + port
          + " is taken by another process");
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for Redis", e);
    }
  }
}
