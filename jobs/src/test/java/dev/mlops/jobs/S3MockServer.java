package dev.mlops.jobs;

import dev.mlops.core.Processes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Adobe's S3Mock, an S3-compatible server, as a process of its own (its Spring Boot classpath stays
 * out of the test JVM), serving plain HTTP on a free loopback port: its main connector, bound to
 * 127.0.0.1 with TLS off. Its extra HTTP connector ({@code com.adobe.testing.s3mock.httpPort},
 * 9090 by default, which S3Mock binds on every interface and offers no address for) is moved to
 * a port the system picks, so that parallel builds never collide on 9090. Objects are kept as
 * files under {@code <dir>/store}; its log is {@code <dir>/s3mock.log}. {@link #close()} stops it.
 */
final class S3MockServer implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private final Process process;
  private final int port;
  private final Path store;
  private final Path log;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private S3MockServer(Process process, int port, Path store, Path log) {
    this.process = process;
    this.port = port;
    this.store = store;
    this.log = log;
  }

  /** Starts the server from the executable jar {@code jar}, keeping its files under {@code dir}. */
  static S3MockServer start(Path jar, Path dir) throws IOException, InterruptedException {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("S3Mock's executable jar is not at " + jar
          + ": run the S3 test with the s3 profile (mvn -Ps3 verify), which copies it there");
    }
    Files.createDirectories(dir);
    int port = freeLoopbackPort();
    Path store = dir.resolve("store");
    Path log = dir.resolve("s3mock.log");
    Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString(),
        "--server.address=127.0.0.1", "--server.port=" + port, "--server.ssl.enabled=false",
        "--com.adobe.testing.s3mock.httpPort=0", "--com.adobe.testing.s3mock.store.root=" + store))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    S3MockServer server = new S3MockServer(p, port, store, log);
    server.awaitUp();
    return server;
  }

  private static int freeLoopbackPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private void awaitUp() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("S3Mock exited with " + process.exitValue() + ":\n" + Files.readString(log));
      }
      try {
        if (send("GET", "/").statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    close();
    throw new IllegalStateException("S3Mock did not answer within " + START_TIMEOUT + ":\n" + Files.readString(log));
  }

  private HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(endpoint() + path)).method(method, HttpRequest.BodyPublishers.noBody())
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Creates the bucket {@code name}. */
  void createBucket(String name) throws IOException, InterruptedException {
    HttpResponse<String> r = send("PUT", "/" + name);
    if (r.statusCode() != 200) {
      throw new IllegalStateException("Cannot create bucket " + name + ": HTTP " + r.statusCode() + " " + r.body());
    }
  }

  /** The keys of up to 1,000 objects of {@code bucket} under {@code prefix}, as S3's ListObjectsV2 gives them. */
  String list(String bucket, String prefix) throws IOException, InterruptedException {
    return send("GET", "/" + bucket + "?list-type=2&prefix=" + prefix).body();
  }

  /** {@code http://127.0.0.1:<port>}. */
  String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /** The folder holding the objects' files. */
  Path store() {
    return store;
  }

  /** The server's log. */
  Path log() {
    return log;
  }

  @Override
  public void close() {
    Processes.stop(process, Duration.ofSeconds(20));
  }
}
