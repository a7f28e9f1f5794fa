package dev.mlops.monitoring.airflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.config.Durations;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLException;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * Every {@link AirflowException} the client throws is made here, so that each message says the
 * problem, its cause (the HTTP status, the call, Airflow's own detail) and the fix, in the same
 * words. Messages name the user, the URL and the API version, never a password or a token: text
 * that comes from Airflow passes through the client's {@link Redaction} first.
 *
 * <p>One per client; thread-safe.
 */
final class AirflowErrors {
  private static final int MAX_DETAIL = 400;
  private static final String CHECK_URL_AND_VERSION = "check that airflow.url is Airflow's base URL and that"
      + " airflow.api-version is 1 for Airflow 2, 2 for Airflow 3";

  private final ApiVersion version;
  private final HttpUrl base;
  private final String user;
  private final Redaction redaction;

  AirflowErrors(ApiVersion version, HttpUrl base, String user, Redaction redaction) {
    this.version = version;
    this.base = base;
    this.user = user;
    this.redaction = redaction;
  }

  /** The error for an answer that is not 2xx, by its status. */
  AirflowException forReply(ApiCall call, Reply reply) {
    int s = reply.status();
    if (s == 400 || s == 422) {
      return error(reply, "Airflow rejected the request to " + call.action() + " as invalid (" + cause(call, reply)
          + "). Fix what Airflow names: a trigger's conf must be a JSON object that the DAG's params accept and its"
          + " logical date a date-time with a time zone; if the request looks right, " + CHECK_URL_AND_VERSION + ".");
    }
    if (s == 401) {
      return unauthorized(call, reply);
    }
    if (s == 403) {
      return error(reply, user == null
          ? "Airflow refuses anonymous requests to " + call.action() + " (" + cause(call, reply) + "). Set airflow.user,"
              + " and airflow.password from the environment."
          : "User '" + user + "' may not " + call.action() + " (" + cause(call, reply) + "). Give the user an Airflow"
              + " role that may read DAGs and DAG runs, trigger DAG runs and, to unpause, edit DAGs.");
    }
    if (s == 404) {
      return notFound(call, reply);
    }
    if (s == 409 && call.runId() != null) {
      return error(reply, "Airflow refused to " + call.action() + ": a conflicting run exists (" + cause(call, reply)
          + "), but no run has the id '" + call.runId() + "'. Another run probably has the same logical date: trigger"
          + " with another logical date, or without one.");
    }
    if (RetryPolicy.retryable(s)) {
      return error(reply, "Airflow could not " + call.action() + " (" + cause(call, reply) + ", " + attempts(reply.attempts())
          + "). Airflow, or a proxy in front of it, is failing or overloaded: try again later, or raise"
          + " airflow.max-retries.");
    }
    return error(reply, "Airflow answered the request to " + call.action() + " with an unexpected HTTP " + s + " ("
        + cause(call, reply) + "). " + capitalized(CHECK_URL_AND_VERSION) + ".");
  }

  /** Airflow 3 refused to issue a token. */
  AirflowException tokenRefused(ApiCall call, Reply reply) {
    return error(reply, "Airflow refused to issue a token to user '" + user + "' (" + cause(call, reply) + "). Check"
        + " airflow.user and the password that airflow.password gives; an Airflow 2 server needs airflow.api-version: 1.");
  }

  /** A 2xx answer whose body is not what the API returns. */
  AirflowException badBody(ApiCall call, Reply reply, String problem) {
    String type = reply.contentType() == null ? "no content type" : reply.contentType();
    return error(reply, "Airflow's answer to the request to " + call.action() + " is not what " + version + " returns (HTTP "
        + reply.status() + " from " + call.describe() + ", " + type + ": " + problem + "). Check that airflow.url is"
        + " Airflow's base URL (not a login page or a proxy's) and that airflow.api-version is 1 for Airflow 2, 2 for"
        + " Airflow 3.");
  }

  /** The connection failed or timed out on the last of {@code attempts}. */
  AirflowException failedConnection(ApiCall call, IOException e, int attempts, OkHttpClient http) {
    if (e instanceof SocketTimeoutException || e instanceof InterruptedIOException) {
      Timeout t = Timeout.of(e, http);
      return new AirflowException("Airflow did not answer the request to " + call.action() + " in time: "
          + call.describe() + " got no answer within the " + t.kind() + " of " + format(t.length()) + " (" + t.key() + "), "
          + (attempts == 1 ? "in 1 attempt" : "in each of " + attempts + " attempts") + ". Check that Airflow at " + where()
          + " is up and not overloaded, or raise " + t.key() + ".", 0, e);
    }
    String what = redaction.apply(e.getClass().getSimpleName() + ": " + e.getMessage());
    if (e instanceof SSLException) {
      return new AirflowException("Cannot make a trusted HTTPS connection to Airflow at " + where() + " to " + call.action()
          + " (" + call.describe() + ": " + what + "). If Airflow's certificate comes from a private certificate"
          + " authority, set airflow.ca-file to a PEM file with that authority's certificate.", 0, e);
    }
    return new AirflowException("Cannot reach Airflow at " + where() + " to " + call.action() + " (" + call.describe()
        + " failed, " + attempts(attempts) + ": " + what + "). Check airflow.url, and that Airflow's webserver (Airflow 2)"
        + " or API server (Airflow 3) is running and reachable from here.", 0, e);
  }

  /** Airflow asked, with {@code Retry-After}, to wait longer than the client does. */
  AirflowException retryAfterTooLong(ApiCall call, Reply reply, Duration asked, Duration limit) {
    return error(reply, "Airflow asked to wait " + format(asked) + " before retrying the request to " + call.action() + " ("
        + cause(call, reply) + ", Retry-After: " + reply.retryAfter() + "), longer than the client waits (at most "
        + format(limit) + "). Try again later.");
  }

  /** The DAG is paused and the caller asked for an unpaused one. */
  AirflowException paused(String dagId) {
    return new AirflowException("DAG '" + dagId + "' is paused, so a run triggered now would stay queued (an unpaused DAG"
        + " was required). Unpause it in Airflow's UI or with mlops airflow trigger --unpause, or trigger without"
        + " requiring an unpaused DAG.", 0, null);
  }

  /** The run did not end within {@code timeout}; {@code last} is its last state seen. */
  AirflowException waitTimedOut(DagRun last, Duration timeout) {
    return new AirflowException("DAG run '" + last.runId() + "' of DAG '" + last.dagId() + "' did not end within the "
        + format(timeout) + " waited for it: it is still " + last.state().apiValue()
        + (last.state() == RunState.QUEUED ? " (a paused DAG, a full pool or max_active_runs keeps runs queued)" : "")
        + ". Wait longer (--timeout), or follow it with mlops airflow status " + last.dagId() + " " + last.runId() + ".",
        0, null);
  }

  AirflowException interrupted(String action) {
    return new AirflowException("Interrupted while waiting to " + action + ".", 0, null);
  }

  /** {@code configName} has no {@code airflow.url}. */
  static AirflowException notConfigured(String configName) {
    return new AirflowException(configName + ": Airflow is not configured: airflow.url is not set. Add an airflow section"
        + " with url, api-version (1 for Airflow 2, 2 for Airflow 3), user and password (password: ${AIRFLOW_PASSWORD});"
        + " see docs/AIRFLOW.md.", 0, null);
  }

  /** {@code airflow.ca-file} cannot be used. */
  static AirflowException caFile(Path file, String problem, Throwable cause) {
    return new AirflowException("Cannot use airflow.ca-file " + file + ": " + problem + ". Give a PEM file with the"
        + " certificate of the authority that signed Airflow's certificate.", 0, cause);
  }

  private AirflowException unauthorized(ApiCall call, Reply reply) {
    if (user == null) {
      return error(reply, "Airflow requires a user to " + call.action() + " (" + cause(call, reply) + ", no credentials"
          + " configured). Set airflow.user, and airflow.password from the environment.");
    }
    if (version == ApiVersion.V1) {
      return error(reply, "Airflow rejected the credentials of user '" + user + "' ("
          + cause(call, reply, " with " + version.authScheme()) + "). Check airflow.user and the password that airflow.password gives; Airflow 2 must"
          + " accept basic auth ([api] auth_backends lists airflow.api.auth.backend.basic_auth, or on 2.9+"
          + " airflow.providers.fab.auth_manager.api.auth.backend.basic_auth); an Airflow 3 server needs"
          + " airflow.api-version: 2.");
    }
    return error(reply, "Airflow rejected the token of user '" + user + "' even after fetching a new one ("
        + cause(call, reply, " with " + version.authScheme() + " from " + tokenUrl()) + "). Check that the user may still log in, that every"
        + " API server shares one [api_auth] jwt_secret, and that their clocks agree with the one that issued the token.");
  }

  private AirflowException notFound(ApiCall call, Reply reply) {
    if (call.runId() != null) {
      return error(reply, "Airflow has no run '" + call.runId() + "' of DAG '" + call.dagId() + "' (" + cause(call, reply)
          + "). Check the run id (mlops airflow trigger prints it) and the DAG id.");
    }
    if (call.dagId() != null) {
      return error(reply, "Airflow has no DAG '" + call.dagId() + "' (" + cause(call, reply) + "). Check the DAG id, and"
          + " that Airflow parsed the DAG's file without import errors; if every call answers 404, "
          + CHECK_URL_AND_VERSION + ".");
    }
    return error(reply, "Airflow has nothing at " + call.url() + " (" + cause(call, reply) + "). "
        + capitalized(CHECK_URL_AND_VERSION) + ".");
  }

  private AirflowException error(Reply reply, String message) {
    return new AirflowException(redaction.apply(message), reply.status(), null);
  }

  /** {@code HTTP 404 from GET url, API v2: detail}. */
  private String cause(ApiCall call, Reply reply) {
    return cause(call, reply, "");
  }

  /** {@code HTTP 401 from GET url, API v2<how>: detail}. */
  private String cause(ApiCall call, Reply reply, String how) {
    return "HTTP " + reply.status() + " from " + call.describe() + ", " + version + how + ": " + detail(reply);
  }

  /** The base URL as the config gives it, without OkHttp's trailing slash. */
  private String where() {
    String b = base.toString();
    return b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
  }

  private HttpUrl tokenUrl() {
    return base.newBuilder().addPathSegments("auth/token").build();
  }

  /**
   * Airflow's explanation in an error body: Airflow 2's problem JSON ({@code title},
   * {@code detail}), Airflow 3's {@code detail} (a string, an object, or the list of
   * {@code {loc, msg, type}} of a 422), or the text of a body that is not JSON.
   */
  static String detail(Reply reply) {
    String body = reply.body().strip();
    if (body.isEmpty()) {
      return "no details";
    }
    JsonNode n;
    try {
      n = AirflowJson.tree(body);
    } catch (IllegalArgumentException e) {
      return body.startsWith("<") ? "an HTML page" : cut(body.replaceAll("\\s+", " "));
    }
    if (!n.isObject()) {
      return cut(n.toString());
    }
    JsonNode detail = n.path("detail");
    String title = n.path("title").isTextual() ? n.path("title").textValue() : null;
    if (detail.isArray()) {
      List<String> items = new ArrayList<>();
      for (JsonNode item : detail) {
        items.add(validationError(item));
      }
      return cut(String.join("; ", items));
    }
    if (detail.isTextual()) {
      return cut(title == null || title.equals(detail.textValue()) ? detail.textValue() : title + ": " + detail.textValue());
    }
    if (detail.isObject()) {
      String reason = detail.path("reason").asText("");
      String message = detail.path("message").asText("");
      String both = reason.isEmpty() ? message : message.isEmpty() ? reason : reason + ": " + message;
      return cut(both.isEmpty() ? detail.toString() : both);
    }
    return cut(title != null ? title : n.toString());
  }

  /** A 422 item: {@code body.logical_date: Field required (missing)}. */
  private static String validationError(JsonNode item) {
    if (!item.isObject()) {
      return item.asText();
    }
    List<String> loc = new ArrayList<>();
    item.path("loc").forEach(l -> loc.add(l.asText()));
    String type = item.path("type").asText("");
    return (loc.isEmpty() ? "" : String.join(".", loc) + ": ") + item.path("msg").asText("invalid")
        + (type.isEmpty() ? "" : " (" + type + ")");
  }

  /** Which of OkHttp's timeouts expired, how long it is, and the config key that sets it. */
  private record Timeout(String kind, Duration length, String key) {
    static Timeout of(IOException e, OkHttpClient http) {
      if (e instanceof SocketTimeoutException && String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("connect")) {
        return new Timeout("connect timeout", Duration.ofMillis(http.connectTimeoutMillis()), "airflow.connect-timeout-seconds");
      }
      if (e instanceof SocketTimeoutException) {
        return new Timeout("read timeout", Duration.ofMillis(http.readTimeoutMillis()), "airflow.read-timeout-seconds");
      }
      return new Timeout("call timeout", Duration.ofMillis(http.callTimeoutMillis()), "airflow.timeout-seconds");
    }
  }

  private static String attempts(int n) {
    return n == 1 ? "1 attempt" : "after " + n + " attempts";
  }

  static String format(Duration d) {
    return d.toMillisPart() == 0 && !d.isZero() ? Durations.format(d) : d.toMillis() + "ms";
  }

  private static String cut(String s) {
    return s.length() <= MAX_DETAIL ? s : s.substring(0, MAX_DETAIL - 3) + "...";
  }

  private static String capitalized(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
