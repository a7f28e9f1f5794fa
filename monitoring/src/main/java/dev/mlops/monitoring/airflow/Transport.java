package dev.mlops.monitoring.airflow;

import java.io.IOException;
import java.net.UnknownServiceException;
import java.time.Clock;
import java.time.Duration;
import java.util.function.DoubleSupplier;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one {@link ApiCall} and reads the whole answer, retrying per the {@link RetryPolicy} and
 * renewing renewable credentials once on a 401. Returns every other answer, good or bad, to the
 * caller; throws an {@link AirflowException} when the connection keeps failing. Thread-safe.
 */
final class Transport {
  private static final Logger LOG = LoggerFactory.getLogger(Transport.class);

  private final OkHttpClient http;
  private final RetryPolicy policy;
  private final Clock clock;
  private final Sleeper sleeper;
  private final DoubleSupplier jitter;
  private final AirflowErrors errors;

  Transport(OkHttpClient http, RetryPolicy policy, Clock clock, Sleeper sleeper, DoubleSupplier jitter, AirflowErrors errors) {
    this.http = http;
    this.policy = policy;
    this.clock = clock;
    this.sleeper = sleeper;
    this.jitter = jitter;
    this.errors = errors;
  }

  Reply send(ApiCall call, Auth auth) {
    boolean renewed = false;
    int attempt = 1;
    while (true) {
      String authorization = auth.authorization();
      Reply reply;
      try (Response response = http.newCall(call.request(authorization)).execute()) {
        reply = new Reply(response.code(), response.body().string(), response.header("Content-Type"),
            response.header("Retry-After"), attempt);
      } catch (IOException e) {
        if (Thread.currentThread().isInterrupted()) {
          throw errors.interrupted(call.action());
        }
        if (!retryable(e) || attempt > policy.maxRetries()) {
          throw errors.failedConnection(call, e, attempt, http);
        }
        Duration wait = policy.backoff(attempt - 1, jitter);
        LOG.warn("Airflow: {} failed ({}); retry {} of {} in {} ms", call.describe(), e, attempt, policy.maxRetries(),
            wait.toMillis());
        pause(call, wait);
        attempt++;
        continue;
      }
      if (reply.status() == 401 && auth.renewable() && !renewed) {
        LOG.info("Airflow: {} answered 401; fetching a new token once", call.describe());
        auth.renew(authorization);
        renewed = true;
        continue;
      }
      if (RetryPolicy.retryable(reply.status()) && attempt <= policy.maxRetries()) {
        Duration asked = RetryPolicy.retryAfter(reply.retryAfter(), clock.instant());
        if (asked != null && asked.compareTo(policy.maxRetryAfter()) > 0) {
          throw errors.retryAfterTooLong(call, reply, asked, policy.maxRetryAfter());
        }
        Duration wait = asked != null ? asked : policy.backoff(attempt - 1, jitter);
        LOG.warn("Airflow: {} answered HTTP {}; retry {} of {} in {} ms{}", call.describe(), reply.status(), attempt,
            policy.maxRetries(), wait.toMillis(), asked != null ? " (Retry-After)" : "");
        pause(call, wait);
        attempt++;
        continue;
      }
      return reply;
    }
  }

  /** Connections that failed may work next time; a certificate Airflow's host does not prove will not. */
  private static boolean retryable(IOException e) {
    return !(e instanceof SSLHandshakeException || e instanceof SSLPeerUnverifiedException
        || e instanceof UnknownServiceException);
  }

  private void pause(ApiCall call, Duration wait) {
    try {
      sleeper.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw errors.interrupted(call.action());
    }
  }
}
