package dev.mlops.monitoring.airflow;

import dev.mlops.core.config.AirflowConfig;
import dev.mlops.core.config.Secret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;

/**
 * A real HTTP server on loopback that answers like Airflow: each route ({@code GET
 * /api/v2/dags/d}) answers with the responses queued for it, in order, the last one again once
 * the others are used. Airflow 3's {@code POST /auth/token} issues {@code token-1},
 * {@code token-2}, ... unless a test queues its own answers. A request no route expects gets a
 * 418, which no client code handles, so the test fails on it.
 */
final class FakeAirflow implements AutoCloseable {
  static final String USER = "mlops";
  static final String PASSWORD = "s3cr3t-Airflow-pw!";

  final int apiVersion;
  private final MockWebServer server = new MockWebServer();
  private final Map<String, Deque<MockResponse>> routes = new HashMap<>();
  private final List<RecordedRequest> requests = new ArrayList<>();
  private int tokens;

  FakeAirflow(int apiVersion) {
    this.apiVersion = apiVersion;
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return answer(request);
      }
    });
    try {
      server.start(InetAddress.getLoopbackAddress(), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Serves HTTPS from now on, with the certificate of {@code tls}. */
  FakeAirflow useHttps(javax.net.ssl.SSLSocketFactory tls) {
    server.useHttps(tls);
    return this;
  }

  /** {@code /api/v1} or {@code /api/v2}. */
  String api() {
    return "/api/v" + apiVersion;
  }

  /** The server's base URL, without a trailing slash. */
  String url() {
    String u = server.url("/").toString();
    return u.substring(0, u.length() - 1);
  }

  /** Queues {@code responses} for {@code method path}. */
  synchronized FakeAirflow on(String method, String path, MockResponse... responses) {
    routes.computeIfAbsent(method + " " + path, k -> new ArrayDeque<>()).addAll(List.of(responses));
    return this;
  }

  /** Every request received, token requests included. */
  synchronized List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  /** The requests to {@code method path}. */
  synchronized List<RecordedRequest> requests(String method, String path) {
    return requests.stream().filter(r -> r.getMethod().equals(method) && r.getUrl().encodedPath().equals(path)).toList();
  }

  /** A config for this server: user {@link #USER}, password {@link #PASSWORD}, 3 retries. */
  AirflowConfig config() {
    return new AirflowConfig(url(), apiVersion, USER, Secret.of(PASSWORD), null, null, null, null, 3);
  }

  /** A client for this server on fake time, with a jitter of 0.5. */
  HttpAirflowClient client(FakeTime time) {
    return HttpAirflowClient.builder(config()).clock(time).sleeper(time).jitter(() -> 0.5).build();
  }

  static MockResponse json(int code, String body) {
    return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
  }

  /** An error as this version sends it: Airflow 2's problem JSON, Airflow 3's {@code {"detail": ...}}. */
  MockResponse error(int code, String title, String detail) {
    if (apiVersion == 1) {
      return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/problem+json").body("""
          {"detail": "%s", "status": %d, "title": "%s",
           "type": "https://airflow.apache.org/docs/apache-airflow/2.9.3/stable-rest-api-ref.html#section/Errors/%s"}"""
          .formatted(detail, code, title, title.replace(" ", ""))).build();
    }
    return json(code, "{\"detail\": \"" + detail + "\"}");
  }

  /** A response whose connection drops as soon as the request arrived: the answer is lost. */
  static MockResponse dropped() {
    return new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build();
  }

  private synchronized MockResponse answer(RecordedRequest request) {
    requests.add(request);
    String key = request.getMethod() + " " + request.getUrl().encodedPath();
    Deque<MockResponse> queue = routes.get(key);
    if (queue != null && !queue.isEmpty()) {
      return queue.size() > 1 ? queue.poll() : queue.peek();
    }
    if (key.equals("POST /auth/token")) {
      return json(201, "{\"access_token\": \"token-" + ++tokens + "\"}");
    }
    return new MockResponse.Builder().code(418).body("no route for " + key).build();
  }

  @Override
  public void close() {
    server.close();
  }
}
