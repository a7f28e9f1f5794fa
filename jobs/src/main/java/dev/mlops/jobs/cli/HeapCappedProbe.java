package dev.mlops.jobs.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.benchmarks.DriftBenchmark;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code bench drift}'s heap case: this CLI again, in a JVM of its own with the same options but a
 * capped heap, running {@code bench drift --heap-probe}, whose one JSON line on stdout is read back.
 * The JVM's own class-data-sharing options are left out, so that the child records no archive.
 *
 * <p>Stateless.
 */
final class HeapCappedProbe {
  private static final ObjectMapper JSON = new ObjectMapper();

  private HeapCappedProbe() {}

  /** The probe's figures as its JSON line. */
  static String json(DriftBenchmark.Probe p) {
    try {
      return JSON.writeValueAsString(Map.of("seconds", p.seconds(), "heap_max_mb", p.heapMaxMb(), "heap_peak_mb",
          p.heapPeakMb(), "digest", p.digest()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Runs the probe with the config file {@code conf} in a JVM capped at {@code heapMb}.
   *
   * @throws IllegalStateException when the JVM fails (out of memory, say) or prints no figures
   */
  static DriftBenchmark.Probe run(String conf, boolean quick, long heapMb) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!option.startsWith("-Xmx") && !option.startsWith("-Xms") && !option.startsWith("-Xshare")
          && !option.contains("ArchiveClassesAtExit") && !option.contains("SharedArchiveFile") && !option.contains("cds")) {
        command.add(option);
      }
    }
    command.addAll(List.of("-Xmx" + heapMb + "m", "-cp", System.getProperty("java.class.path"), "dev.mlops.jobs.Mlops",
        "--conf", Path.of(conf).toAbsolutePath().toString(), "bench", "drift", "--heap-probe"));
    if (quick) {
      command.add("--quick");
    }
    try {
      Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      int status = process.waitFor();
      String last = out.isEmpty() ? "" : out.substring(out.lastIndexOf('\n') + 1);
      if (status != 0 || !last.startsWith("{")) {
        throw new IllegalStateException("the JVM capped at " + heapMb + " MB exited with " + status + ": " + last);
      }
      JsonNode n = JSON.readTree(last);
      return new DriftBenchmark.Probe(n.get("seconds").asDouble(), n.get("heap_max_mb").asLong(),
          n.get("heap_peak_mb").asLong(), n.get("digest").asText());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
