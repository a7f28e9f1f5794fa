package dev.mlops.monitoring.airflow;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Airflow 3's bearer token: fetched from {@code POST <base>/auth/token} with the user's name and
 * password on first use, kept, and fetched again when a request is refused with 401 (the
 * {@link Transport} renews once per call). Thread-safe: one fetch at a time, shared by all
 * callers.
 */
final class TokenAuth implements Auth {
  private final Transport transport;
  private final ApiCall tokenCall;
  private final AirflowErrors errors;
  private final Redaction redaction;
  private String token;

  TokenAuth(Transport transport, okhttp3.HttpUrl tokenUrl, String user, String password, AirflowErrors errors,
      Redaction redaction) {
    this.transport = transport;
    ObjectNode body = AirflowJson.object().put("username", user).put("password", password);
    this.tokenCall = new ApiCall("POST", tokenUrl, AirflowJson.bytes(body), "get a token for user '" + user + "'", null, null);
    this.errors = errors;
    this.redaction = redaction;
  }

  @Override
  public synchronized String authorization() {
    if (token == null) {
      token = fetch();
    }
    return "Bearer " + token;
  }

  @Override
  public boolean renewable() {
    return true;
  }

  @Override
  public synchronized void renew(String used) {
    if (token != null && ("Bearer " + token).equals(used)) {
      token = null;
    }
  }

  private String fetch() {
    Reply reply = transport.send(tokenCall, Auth.none());
    if (!reply.ok()) {
      throw reply.status() >= 500 || reply.status() == 429
          ? errors.forReply(tokenCall, reply) : errors.tokenRefused(tokenCall, reply);
    }
    String fetched;
    try {
      fetched = AirflowJson.token(AirflowJson.tree(reply.body()));
    } catch (IllegalArgumentException e) {
      throw errors.badBody(tokenCall, reply, e.getMessage());
    }
    redaction.add(fetched);
    return fetched;
  }

  @Override
  public String toString() {
    return "a bearer token from " + tokenCall.url();
  }
}
