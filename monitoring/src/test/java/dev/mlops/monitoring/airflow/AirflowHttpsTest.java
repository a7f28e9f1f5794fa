package dev.mlops.monitoring.airflow;

import static dev.mlops.monitoring.airflow.AirflowBodies.DAG;
import static dev.mlops.monitoring.airflow.FakeAirflow.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mlops.core.config.AirflowConfig;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS with a certificate of a private authority: trusted through airflow.ca-file, refused without it. */
class AirflowHttpsTest {
  private static final char[] PASS = "changeit".toCharArray();

  @TempDir static Path dir;
  static SSLSocketFactory serverTls;
  static Path caPem;

  /** A self-signed certificate for localhost made with the JDK's keytool, and its PEM. */
  @BeforeAll
  static void makeCertificate() throws Exception {
    Path store = dir.resolve("server.p12");
    caPem = dir.resolve("ca.pem");
    keytool("-genkeypair", "-alias", "airflow", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
        "-ext", "san=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
        "-storepass", "changeit", "-keypass", "changeit");
    keytool("-exportcert", "-rfc", "-alias", "airflow", "-keystore", store.toString(), "-storepass", "changeit", "-file",
        caPem.toString());
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keys.load(in, PASS);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, PASS);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), null, null);
    serverTls = tls.getSocketFactory();
  }

  private static void keytool(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("keytool: %s", out).isZero();
  }

  private static AirflowConfig config(FakeAirflow airflow, String caFile) {
    AirflowConfig c = airflow.config();
    return new AirflowConfig(c.url(), 1, c.user(), c.password(), null, null, null, caFile, 0);
  }

  @Test
  void aPrivateAuthorityGivenAsCaFileIsTrusted() {
    try (FakeAirflow airflow = new FakeAirflow(1).useHttps(serverTls)) {
      airflow.on("GET", "/api/v1/dags/" + DAG, json(200, AirflowBodies.dag(1, DAG, false)));

      assertThat(airflow.url()).startsWith("https://");
      assertThat(HttpAirflowClient.fromConfig(config(airflow, caPem.toString()), "test.yaml").dag(DAG))
          .isEqualTo(new Dag(DAG, false));
    }
  }

  @Test
  void withoutTheCaFileTheCertificateIsRefusedAtOnceWithTheFix() {
    try (FakeAirflow airflow = new FakeAirflow(1).useHttps(serverTls)) {
      AirflowConfig c = airflow.config();
      AirflowConfig noCa = new AirflowConfig(c.url(), 1, c.user(), c.password(), null, null, null, null, 3);
      FakeTime time = new FakeTime();
      AirflowException e = catchThrowableOfType(AirflowException.class,
          () -> HttpAirflowClient.builder(noCa).clock(time).sleeper(time).build().dag(DAG));

      assertThat(e.getMessage()).startsWith("Cannot make a trusted HTTPS connection to Airflow at " + airflow.url()
          + " to read DAG 'train_fraud' (GET " + airflow.url() + "/api/v1/dags/train_fraud: SSLHandshakeException: ")
          .endsWith("If Airflow's certificate comes from a private certificate authority, set airflow.ca-file to a PEM"
              + " file with that authority's certificate.");
      assertThat(time.sleeps()).as("a certificate is not retried").isEmpty();
    }
  }

  @Test
  void aCaFileThatIsMissingOrNotPemIsNamed() throws Exception {
    try (FakeAirflow airflow = new FakeAirflow(1)) {
      Path missing = dir.resolve("missing.pem");
      assertThat(catchThrowableOfType(AirflowException.class,
          () -> HttpAirflowClient.fromConfig(config(airflow, missing.toString()), "test.yaml")))
          .hasMessage("Cannot use airflow.ca-file " + missing + ": file not found. Give a PEM file with the certificate of"
              + " the authority that signed Airflow's certificate.");
      Path junk = Files.writeString(dir.resolve("junk.pem"), "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");
      assertThat(catchThrowableOfType(AirflowException.class,
          () -> HttpAirflowClient.fromConfig(config(airflow, junk.toString()), "test.yaml")))
          .hasMessageStartingWith("Cannot use airflow.ca-file " + junk + ": not a PEM file of X.509 certificates (");
    }
  }
}
