package dev.mlops.monitoring.airflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.config.AirflowConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * The {@link AirflowClient} over HTTP, with OkHttp: Airflow 2's {@code /api/v1} with basic
 * authentication, or Airflow 3's {@code /api/v2} with a bearer token fetched from
 * {@code POST <url>/auth/token} and fetched again, once, when a call is refused with 401.
 * Failed calls are retried as {@code docs/AIRFLOW.md} describes: 5xx, 429 and failed connections
 * only, honouring {@code Retry-After}; OkHttp's own silent retry is turned off so that every
 * attempt is counted.
 *
 * <p>Obtain one with {@link #fromConfig} or {@link #builder}. Thread-safe; share one per
 * Airflow.
 */
public final class HttpAirflowClient implements AirflowClient {
  /** Task instances asked for per page: Airflow's default {@code [api] maximum_page_limit}. */
  static final int PAGE_SIZE = 100;
  static final Duration FIRST_POLL = Duration.ofSeconds(2);
  static final Duration MAX_POLL = Duration.ofSeconds(30);

  private final ApiVersion version;
  private final HttpUrl base;
  private final Transport transport;
  private final Auth auth;
  private final AirflowErrors errors;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Duration firstPoll;
  private final Duration maxPoll;

  private HttpAirflowClient(Builder b) {
    AirflowConfig config = b.config;
    this.version = ApiVersion.of(config.apiVersion());
    this.base = HttpUrl.get(config.url());
    Redaction redaction = new Redaction();
    redaction.add(config.password().reveal());
    this.errors = new AirflowErrors(version, base, config.user(), redaction);
    OkHttpClient http = (b.http != null ? b.http : HttpClients.forConfig(config)).newBuilder()
        .retryOnConnectionFailure(false).build();
    this.transport = new Transport(http, RetryPolicy.of(config.maxRetries()), b.clock, b.sleeper, b.jitter, errors);
    if (config.user() == null) {
      this.auth = Auth.none();
    } else if (version == ApiVersion.V1) {
      this.auth = Auth.basic(config.user(), config.password().reveal(), redaction);
    } else {
      this.auth = new TokenAuth(transport, base.newBuilder().addPathSegments("auth/token").build(), config.user(),
          config.password().reveal(), errors, redaction);
    }
    this.clock = b.clock;
    this.sleeper = b.sleeper;
    this.firstPoll = b.firstPoll;
    this.maxPoll = b.maxPoll;
  }

  /**
   * A client for the {@code airflow} section of a config, with an {@link OkHttpClient} built from
   * its timeouts and CA file, the system clock and real sleeps.
   *
   * @param configName the config file as the user named it, for the message when Airflow is not
   *     configured
   * @throws AirflowException when the config has no {@code airflow.url}, or its CA file cannot be
   *     used
   */
  public static HttpAirflowClient fromConfig(AirflowConfig config, String configName) {
    if (!config.configured()) {
      throw AirflowErrors.notConfigured(configName);
    }
    return builder(config).build();
  }

  /** A builder for a client of the Airflow {@code config} describes (it must have a URL). */
  public static Builder builder(AirflowConfig config) {
    return new Builder(config);
  }

  @Override
  public Dag dag(String dagId) {
    return call(new ApiCall("GET", dagUrl(dagId).build(), null, "read DAG '" + dagId + "'", dagId, null), AirflowJson::dag);
  }

  @Override
  public Dag unpause(String dagId) {
    byte[] body = AirflowJson.bytes(AirflowJson.object().put("is_paused", false));
    HttpUrl url = dagUrl(dagId).addQueryParameter("update_mask", "is_paused").build();
    return call(new ApiCall("PATCH", url, body, "unpause DAG '" + dagId + "'", dagId, null), AirflowJson::dag);
  }

  @Override
  public TriggerResult trigger(String dagId, TriggerRequest request) {
    List<String> warnings = new ArrayList<>();
    boolean unpaused = false;
    if (dag(dagId).paused()) {
      switch (request.pausedPolicy()) {
        case REQUIRE_UNPAUSED -> throw errors.paused(dagId);
        case UNPAUSE -> unpaused = !unpause(dagId).paused();
        case WARN -> warnings.add("DAG '" + dagId + "' is paused: the run stays queued until the DAG is unpaused (in"
            + " Airflow's UI, or trigger with --unpause)");
      }
    }
    String runId = request.runId() != null ? request.runId()
        : RunIds.derive(dagId, request.logicalDate(), request.conf(), clock.instant());
    byte[] body = AirflowJson.bytes(version.triggerBody(runId, request.logicalDate(), request.conf()));
    ApiCall call = new ApiCall("POST", runsUrl(dagId).build(), body, "trigger DAG '" + dagId + "'", dagId, runId);
    Reply reply = transport.send(call, auth);
    if (reply.status() == 409) {
      DagRun existing = existingRun(dagId, runId);
      if (existing == null) {
        throw errors.forReply(call, reply);
      }
      if (!AirflowJson.canonical(existing.conf()).equals(AirflowJson.canonical(request.conf()))) {
        warnings.add("run '" + runId + "' already existed with another conf: " + AirflowJson.canonical(existing.conf()));
      }
      return new TriggerResult(existing, true, unpaused, warnings);
    }
    return new TriggerResult(read(call, reply, AirflowJson::dagRun), false, unpaused, warnings);
  }

  @Override
  public DagRun run(String dagId, String runId) {
    return call(runCall(dagId, runId), AirflowJson::dagRun);
  }

  @Override
  public List<TaskInstance> tasks(String dagId, String runId) {
    List<TaskInstance> all = new ArrayList<>();
    while (true) {
      HttpUrl url = runsUrl(dagId).addPathSegment(runId).addPathSegment("taskInstances")
          .addQueryParameter("limit", String.valueOf(PAGE_SIZE)).addQueryParameter("offset", String.valueOf(all.size()))
          .build();
      AirflowJson.TaskPage page = call(new ApiCall("GET", url, null, "list the tasks of run '" + runId + "' of DAG '"
          + dagId + "'", dagId, runId), AirflowJson::taskPage);
      all.addAll(page.tasks());
      if (page.tasks().isEmpty() || all.size() >= page.totalEntries()) {
        return all;
      }
    }
  }

  @Override
  public DagRun waitFor(String dagId, String runId, Duration timeout, Consumer<DagRun> onChange) {
    Instant deadline = clock.instant().plus(timeout);
    Duration delay = firstPoll;
    RunState seen = null;
    while (true) {
      DagRun run = run(dagId, runId);
      if (run.state() != seen) {
        seen = run.state();
        onChange.accept(run);
      }
      if (run.state().isTerminal()) {
        return run;
      }
      Duration left = Duration.between(clock.instant(), deadline);
      if (left.isNegative() || left.isZero()) {
        throw errors.waitTimedOut(run, timeout);
      }
      try {
        sleeper.sleep(delay.compareTo(left) < 0 ? delay : left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw errors.interrupted("see run '" + runId + "' of DAG '" + dagId + "' end");
      }
      delay = delay.multipliedBy(2).compareTo(maxPoll) < 0 ? delay.multipliedBy(2) : maxPoll;
    }
  }

  @Override
  public String toString() {
    return "HttpAirflowClient{" + base + ", " + version + ", " + auth + "}";
  }

  /** The run, or null when Airflow has none with that id. */
  private DagRun existingRun(String dagId, String runId) {
    ApiCall call = runCall(dagId, runId);
    Reply reply = transport.send(call, auth);
    return reply.status() == 404 ? null : read(call, reply, AirflowJson::dagRun);
  }

  private ApiCall runCall(String dagId, String runId) {
    return new ApiCall("GET", runsUrl(dagId).addPathSegment(runId).build(), null,
        "read run '" + runId + "' of DAG '" + dagId + "'", dagId, runId);
  }

  private HttpUrl.Builder dagUrl(String dagId) {
    return version.api(base).addPathSegment("dags").addPathSegment(dagId);
  }

  private HttpUrl.Builder runsUrl(String dagId) {
    return dagUrl(dagId).addPathSegment("dagRuns");
  }

  private <T> T call(ApiCall call, Function<JsonNode, T> reader) {
    return read(call, transport.send(call, auth), reader);
  }

  /** The answer read by {@code reader}, or the error its status or its body calls for. */
  private <T> T read(ApiCall call, Reply reply, Function<JsonNode, T> reader) {
    if (!reply.ok()) {
      throw errors.forReply(call, reply);
    }
    try {
      return reader.apply(AirflowJson.tree(reply.body()));
    } catch (IllegalArgumentException e) {
      throw errors.badBody(call, reply, e.getMessage());
    }
  }

  /**
   * Builds an {@link HttpAirflowClient}. Everything but the config has a default: an
   * {@link OkHttpClient} from the config's timeouts and CA file, the system clock, real sleeps, a
   * random jitter, polls of a waited run every 2 s at first, backing off to every 30 s. Not
   * thread-safe; the client it builds is.
   */
  public static final class Builder {
    private final AirflowConfig config;
    private OkHttpClient http;
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.system();
    private DoubleSupplier jitter = () -> ThreadLocalRandom.current().nextDouble();
    private Duration firstPoll = FIRST_POLL;
    private Duration maxPoll = MAX_POLL;

    private Builder(AirflowConfig config) {
      this.config = Objects.requireNonNull(config, "config == null");
      if (!config.configured()) {
        throw new IllegalArgumentException("config has no url");
      }
    }

    /** The HTTP client to use (its connection pool and timeouts); the config's CA file is then not read. */
    public Builder httpClient(OkHttpClient http) {
      this.http = Objects.requireNonNull(http, "http == null");
      return this;
    }

    /** The clock for a waited run's deadline, {@code Retry-After} dates and derived run ids. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /** How to wait between retries and between polls. */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper == null");
      return this;
    }

    /** Numbers in [0, 1) that spread the retries' backoff. */
    public Builder jitter(DoubleSupplier jitter) {
      this.jitter = Objects.requireNonNull(jitter, "jitter == null");
      return this;
    }

    /** The wait before the second poll of a waited run, doubled after each poll up to {@code max}. */
    public Builder pollIntervals(Duration first, Duration max) {
      if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
        throw new IllegalArgumentException("poll intervals must be positive and first <= max, got " + first + ", " + max);
      }
      this.firstPoll = first;
      this.maxPoll = max;
      return this;
    }

    public HttpAirflowClient build() {
      return new HttpAirflowClient(this);
    }
  }
}
