package dev.mlops.features;

import dev.mlops.core.runs.JobRun;
import dev.mlops.core.runs.RunRecorder;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.testkit.TestPlatform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** A test warehouse with a feature repository written from YAML strings. */
public final class FeatureFixtures {
  public final TestPlatform platform;
  public final Warehouse warehouse;
  public final Path repo;
  public final RunRecorder runs;
  public final Clock clock;

  public FeatureFixtures(Path dir, Instant now) {
    platform = TestPlatform.create(dir);
    warehouse = Warehouse.of(platform.spark(), platform.config());
    repo = dir.resolve("repo");
    clock = Clock.fixed(now, ZoneOffset.UTC);
    runs = platform.runs(warehouse, clock);
  }

  /** Writes the repository's files (name to YAML), replacing the previous ones. */
  public FeatureFixtures files(Map<String, String> files) {
    try {
      if (Files.exists(repo)) {
        try (var s = Files.list(repo)) {
          for (Path p : s.toList()) {
            Files.delete(p);
          }
        }
      }
      Files.createDirectories(repo);
      for (Map.Entry<String, String> f : files.entrySet()) {
        Files.writeString(repo.resolve(f.getKey()), f.getValue());
      }
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A store over the current files. */
  public FeatureStore store() {
    return FeatureStore.open(warehouse, repo, "repo", clock, Map.<String, String>of()::get);
  }

  /** A store over the current files with a different clock. */
  public FeatureStore store(Clock otherClock) {
    return FeatureStore.open(warehouse, repo, "repo", otherClock, Map.<String, String>of()::get);
  }

  /** Runs {@code body} as a recorded job. */
  public <T> T run(String job, Function<JobRun, T> body) {
    return runs.run(job, List.of(), body);
  }

  public static Timestamp ts(long micros) {
    Timestamp t = new Timestamp(Math.floorDiv(micros, 1000));
    t.setNanos((int) Math.floorMod(micros, 1_000_000) * 1000);
    return t;
  }

  public static long micros(Timestamp t) {
    return Math.floorDiv(t.getTime(), 1000) * 1_000_000L + t.getNanos() / 1000;
  }
}
