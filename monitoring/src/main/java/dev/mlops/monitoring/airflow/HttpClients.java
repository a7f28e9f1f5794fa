package dev.mlops.monitoring.airflow;

import dev.mlops.core.config.AirflowConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;

/** Builds the {@link OkHttpClient} an {@code airflow} config section describes. Stateless. */
final class HttpClients {
  private HttpClients() {}

  static OkHttpClient forConfig(AirflowConfig config) {
    OkHttpClient.Builder b = new OkHttpClient.Builder()
        .connectTimeout(config.connectTimeout())
        .readTimeout(config.readTimeout())
        .writeTimeout(config.readTimeout())
        .callTimeout(config.callTimeout());
    if (config.caFile() != null) {
      X509TrustManager trust = trustManager(Path.of(config.caFile()));
      try {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {trust}, null);
        b.sslSocketFactory(tls.getSocketFactory(), trust);
      } catch (GeneralSecurityException e) {
        throw AirflowErrors.caFile(Path.of(config.caFile()), "TLS cannot be set up with it: " + e.getMessage(), e);
      }
    }
    return b.build();
  }

  /** A trust manager that trusts exactly the certificates in the PEM {@code file}. */
  static X509TrustManager trustManager(Path file) {
    Collection<? extends Certificate> certificates;
    try (InputStream in = Files.newInputStream(file)) {
      certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (NoSuchFileException e) {
      throw AirflowErrors.caFile(file, "file not found", e);
    } catch (IOException e) {
      throw AirflowErrors.caFile(file, "cannot be read (" + e.getMessage() + ")", e);
    } catch (CertificateException e) {
      throw AirflowErrors.caFile(file, "not a PEM file of X.509 certificates (" + e.getMessage() + ")", e);
    }
    if (certificates.isEmpty()) {
      throw AirflowErrors.caFile(file, "holds no certificate", null);
    }
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate c : certificates) {
        store.setCertificateEntry("ca-" + i++, c);
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      for (TrustManager m : factory.getTrustManagers()) {
        if (m instanceof X509TrustManager x509) {
          return x509;
        }
      }
      throw AirflowErrors.caFile(file, "the JVM offers no X.509 trust manager", null);
    } catch (GeneralSecurityException | IOException e) {
      throw AirflowErrors.caFile(file, "its certificates cannot be trusted (" + e.getMessage() + ")", e);
    }
  }
}
