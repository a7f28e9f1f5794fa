package dev.mlops.monitoring.airflow;

import static dev.mlops.monitoring.airflow.AirflowBodies.DAG;
import static dev.mlops.monitoring.airflow.FakeAirflow.PASSWORD;
import static dev.mlops.monitoring.airflow.FakeAirflow.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

class AirflowAuthTest {
  private final FakeTime time = new FakeTime();

  @Test
  void airflow2GetsBasicCredentialsOnEveryCallAndNoTokenRequest() {
    try (FakeAirflow airflow = new FakeAirflow(1)) {
      airflow.on("GET", "/api/v1/dags/" + DAG, json(200, AirflowBodies.dag(1, DAG, false)));
      HttpAirflowClient client = airflow.client(time);
      client.dag(DAG);
      client.dag(DAG);

      String expected = "Basic " + Base64.getEncoder().encodeToString(("mlops:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
      assertThat(airflow.requests()).as("two calls, no token request").hasSize(2)
          .allSatisfy(r -> assertThat(r.getHeaders().get("Authorization")).as("basic auth").isEqualTo(expected));
    }
  }

  @Test
  void airflow3FetchesOneTokenWithTheCredentialsAsJsonAndSendsItAsBearer() throws Exception {
    try (FakeAirflow airflow = new FakeAirflow(2)) {
      airflow.on("GET", "/api/v2/dags/" + DAG, json(200, AirflowBodies.dag(2, DAG, false)));
      HttpAirflowClient client = airflow.client(time);
      client.dag(DAG);
      client.dag(DAG);

      assertThat(airflow.requests()).extracting(RecordedRequest::getRequestLine).containsExactly(
          "POST /auth/token HTTP/1.1", "GET /api/v2/dags/train_fraud HTTP/1.1", "GET /api/v2/dags/train_fraud HTTP/1.1");
      RecordedRequest token = airflow.requests().get(0);
      assertThat(token.getHeaders().get("Content-Type")).as("exactly what the token endpoint lists").isEqualTo("application/json");
      assertThat(new ObjectMapper().readTree(token.getBody().utf8()))
          .isEqualTo(new ObjectMapper().readTree("{\"username\": \"mlops\", \"password\": \"" + PASSWORD + "\"}"));
      assertThat(token.getHeaders().get("Authorization")).as("the token request carries no credentials header").isNull();
      assertThat(airflow.requests(("GET"), "/api/v2/dags/" + DAG))
          .allSatisfy(r -> assertThat(r.getHeaders().get("Authorization")).isEqualTo("Bearer token-1"));
    }
  }

  @Test
  void airflow3FetchesANewTokenOnceWhenACallGets401AndTheRetriedCallSucceeds() {
    try (FakeAirflow airflow = new FakeAirflow(2)) {
      airflow.on("GET", "/api/v2/dags/" + DAG, json(401, "{\"detail\": \"Token Expired\"}"),
          json(200, AirflowBodies.dag(2, DAG, true)));
      Dag dag = airflow.client(time).dag(DAG);

      assertThat(dag).isEqualTo(new Dag(DAG, true));
      assertThat(airflow.requests()).extracting(r -> r.getMethod() + " " + r.getUrl().encodedPath() + " "
          + r.getHeaders().get("Authorization")).containsExactly(
              "POST /auth/token null",
              "GET /api/v2/dags/train_fraud Bearer token-1",
              "POST /auth/token null",
              "GET /api/v2/dags/train_fraud Bearer token-2");
      assertThat(time.sleeps()).as("a new token is not a retry: no backoff").isEmpty();
    }
  }

  @Test
  void airflow3FailsClearlyWhenTheNewTokenIsRefusedToo() {
    try (FakeAirflow airflow = new FakeAirflow(2)) {
      airflow.on("GET", "/api/v2/dags/" + DAG, json(401, "{\"detail\": \"Not authenticated\"}"));
      AirflowException e = catchThrowableOfType(AirflowException.class, () -> airflow.client(time).dag(DAG));

      assertThat(e.status()).isEqualTo(401);
      assertThat(e.getMessage()).isEqualTo("Airflow rejected the token of user 'mlops' even after fetching a new one"
          + " (HTTP 401 from GET " + airflow.url() + "/api/v2/dags/train_fraud, API v2 with a bearer token from "
          + airflow.url() + "/auth/token: Not authenticated). Check that the user may still log in, that every API server shares one"
          + " [api_auth] jwt_secret, and that their clocks agree with the one that issued the token.");
      assertThat(airflow.requests("POST", "/auth/token")).as("exactly one renewal").hasSize(2);
      assertThat(airflow.requests("GET", "/api/v2/dags/" + DAG)).hasSize(2);
    }
  }

  @Test
  void airflow3RefusingATokenNamesTheUserAndTheTokenUrlAndIsNotRetried() {
    try (FakeAirflow airflow = new FakeAirflow(2)) {
      airflow.on("POST", "/auth/token", json(401, "{\"detail\": \"Invalid credentials\"}"));
      AirflowException e = catchThrowableOfType(AirflowException.class, () -> airflow.client(time).dag(DAG));

      assertThat(e.getMessage()).isEqualTo("Airflow refused to issue a token to user 'mlops' (HTTP 401 from POST "
          + airflow.url() + "/auth/token, API v2: Invalid credentials). Check airflow.user and the password that"
          + " airflow.password gives; an Airflow 2 server needs airflow.api-version: 1.");
      assertThat(airflow.requests()).hasSize(1);
      assertThat(time.sleeps()).isEmpty();
    }
  }

  @Test
  void airflow2RejectingTheCredentialsNamesUserUrlAndVersionAndIsNotRetried() {
    try (FakeAirflow airflow = new FakeAirflow(1)) {
      // Airflow 2's basic-auth backend answers a plain "Unauthorized", not problem JSON.
      airflow.on("GET", "/api/v1/dags/" + DAG, new MockResponse.Builder().code(401).setHeader("WWW-Authenticate", "Basic")
          .setHeader("Content-Type", "text/html; charset=utf-8").body("Unauthorized").build());
      AirflowException e = catchThrowableOfType(AirflowException.class, () -> airflow.client(time).dag(DAG));

      assertThat(e.status()).isEqualTo(401);
      assertThat(e.getMessage()).startsWith("Airflow rejected the credentials of user 'mlops' (HTTP 401 from GET "
          + airflow.url() + "/api/v1/dags/train_fraud, API v1 with basic auth: Unauthorized). Check airflow.user and the"
          + " password that airflow.password gives; Airflow 2 must accept basic auth ([api] auth_backends lists"
          + " airflow.api.auth.backend.basic_auth").endsWith("an Airflow 3 server needs airflow.api-version: 2.");
      assertThat(airflow.requests()).hasSize(1);
    }
  }

  @Test
  void aForbiddenCallNamesTheUserAndWhatItMayNotDo() {
    for (int v = 1; v <= 2; v++) {
      try (FakeAirflow airflow = new FakeAirflow(v)) {
        airflow.on("PATCH", airflow.api() + "/dags/" + DAG, airflow.error(403, "Forbidden",
            v == 1 ? "You do not have permission to perform this action" : "Forbidden"));
        AirflowException e = catchThrowableOfType(AirflowException.class, () -> airflow.client(time).unpause(DAG));

        assertThat(e.status()).isEqualTo(403);
        assertThat(e.getMessage()).as("v%d", v).isEqualTo("User 'mlops' may not unpause DAG 'train_fraud' (HTTP 403 from"
            + " PATCH " + airflow.url() + airflow.api() + "/dags/train_fraud?update_mask=is_paused, API v" + v + ": "
            + (v == 1 ? "Forbidden: You do not have permission to perform this action" : "Forbidden")
            + "). Give the user an Airflow role that may read DAGs and DAG runs, trigger DAG runs and, to unpause,"
            + " edit DAGs.");
      }
    }
  }
}
