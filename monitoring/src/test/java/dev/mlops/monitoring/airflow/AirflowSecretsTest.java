package dev.mlops.monitoring.airflow;

import static dev.mlops.monitoring.airflow.FakeAirflow.PASSWORD;
import static dev.mlops.monitoring.airflow.FakeAirflow.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mlops.testkit.LogCapture;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import mockwebserver3.MockResponse;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

class AirflowSecretsTest {
  private static final String BASIC = Base64.getEncoder().encodeToString(("mlops:" + PASSWORD).getBytes(StandardCharsets.UTF_8));

  @Test
  void noPasswordOrTokenAppearsInAnyMessageOrLogLineEvenWhenAirflowEchoesThem() {
    List<String> messages = new ArrayList<>();
    List<String> logLines;
    try (LogCapture logs = LogCapture.at(Level.DEBUG)) {
      try (FakeAirflow airflow = new FakeAirflow(1)) {
        HttpAirflowClient client = airflow.client(new FakeTime());
        airflow.on("GET", "/api/v1/dags/refused", new MockResponse.Builder().code(401).body("Unauthorized").build());
        airflow.on("GET", "/api/v1/dags/echo", airflow.error(400, "Bad Request",
            "bad header Basic " + BASIC + " for password " + PASSWORD));
        airflow.on("GET", "/api/v1/dags/down", json(503, "{\"detail\": \"down\"}"));
        messages.add(catchThrowableOfType(AirflowException.class, () -> client.dag("refused")).getMessage());
        messages.add(catchThrowableOfType(AirflowException.class, () -> client.dag("echo")).getMessage());
        messages.add(catchThrowableOfType(AirflowException.class, () -> client.dag("down")).getMessage());
        messages.add(client.toString());
      }
      try (FakeAirflow airflow = new FakeAirflow(2)) {
        HttpAirflowClient client = airflow.client(new FakeTime());
        airflow.on("GET", "/api/v2/dags/expired", json(401, "{\"detail\": \"Token Expired\"}"));
        airflow.on("GET", "/api/v2/dags/echo", json(403, "{\"detail\": \"token token-2 may not read this\"}"));
        messages.add(catchThrowableOfType(AirflowException.class, () -> client.dag("expired")).getMessage());
        messages.add(catchThrowableOfType(AirflowException.class, () -> client.dag("echo")).getMessage());
        messages.add(client.toString());
      }
      try (FakeAirflow airflow = new FakeAirflow(2)) {
        airflow.on("POST", "/auth/token", json(422, "{\"detail\": [{\"type\": \"value_error\", \"loc\": [\"body\","
            + " \"password\"], \"msg\": \"Value error, " + PASSWORD + " is not allowed\", \"input\": \"" + PASSWORD + "\"}]}"));
        messages.add(catchThrowableOfType(AirflowException.class, () -> airflow.client(new FakeTime()).dag("d")).getMessage());
      }
      logLines = logs.lines();
    }

    assertThat(logLines).as("the capture saw the client's retries and renewals")
        .anyMatch(l -> l.contains("answered HTTP 503; retry 1 of 3")).anyMatch(l -> l.contains("fetching a new token once"));
    assertThat(messages).as("Airflow's echo is shown, its secrets cut out")
        .anyMatch(m -> m.contains("bad header Basic **** for password ****"))
        .anyMatch(m -> m.contains("token **** may not read this"))
        .anyMatch(m -> m.contains("Value error, **** is not allowed"));
    assertThat(String.join("\n", messages) + String.join("\n", logLines))
        .doesNotContain(PASSWORD, BASIC, "token-1", "token-2");
  }
}
