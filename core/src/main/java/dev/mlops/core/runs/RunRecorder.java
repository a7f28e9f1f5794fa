package dev.mlops.core.runs;

import dev.mlops.core.CodeVersion;
import dev.mlops.core.config.ConfigFile;
import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.Warehouse;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Starts {@link JobRun}s and keeps their records in the table {@value #TABLE_NAME}, one row per
 * run: run id, job, arguments, config file and hash, code version, input and output tables with
 * their Delta versions, status, start, end, duration and error. SQL users query it by name.
 *
 * <p>A record is one blind Delta append written when the run ends, so concurrent jobs never
 * conflict on it (on a file system that arbitrates Delta commits; on S3 the runs enter a
 * {@link WriterGuard}, see {@link SingleWriterLease}). A process killed outright leaves no record;
 * its scheduler reports it. Thread-safe.
 */
public final class RunRecorder {
  /** The run table. */
  public static final String TABLE_NAME = "ops.runs";
  /** The run table's name. */
  public static final TableName TABLE = TableName.parse(TABLE_NAME);

  private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final Warehouse warehouse;
  private final ConfigFile config;
  private final Clock clock;
  private final CodeVersion code;
  private final java.util.function.Consumer<String> started;
  private final WriterGuard guard;

  /**
   * @param warehouse where the run table lives
   * @param config the config file the jobs run with (its name and hash are recorded)
   * @param clock the clock for start and end times
   * @param code the code version to record
   */
  public RunRecorder(Warehouse warehouse, ConfigFile config, Clock clock, CodeVersion code) {
    this.warehouse = Objects.requireNonNull(warehouse, "warehouse == null");
    this.config = Objects.requireNonNull(config, "config == null");
    this.clock = Objects.requireNonNull(clock, "clock == null");
    this.code = Objects.requireNonNull(code, "code == null");
    this.started = id -> { };
    this.guard = WriterGuard.NONE;
  }

  private RunRecorder(RunRecorder base, java.util.function.Consumer<String> started, WriterGuard guard) {
    this.warehouse = base.warehouse;
    this.config = base.config;
    this.clock = base.clock;
    this.code = base.code;
    this.started = Objects.requireNonNull(started, "started == null");
    this.guard = Objects.requireNonNull(guard, "guard == null");
  }

  /**
   * A copy whose runs enter {@code guard} before they start (a refused run writes nothing, not even
   * its record) and leave it when their record is written.
   */
  public RunRecorder guardedBy(WriterGuard guard) {
    return new RunRecorder(this, started, guard);
  }

  /**
   * A copy that also tells {@code listener} the id of every run it starts (a pipeline runner
   * collects the runs of a step this way).
   */
  public RunRecorder observedBy(java.util.function.Consumer<String> listener) {
    return new RunRecorder(this, listener, guard);
  }

  /** Starts a run of {@code job} with the command-line {@code args}. */
  public JobRun start(String job, List<String> args) {
    String runId = ID_TIME.format(clock.instant()) + "-" + job.replaceAll("[^a-z0-9]+", "-") + "-"
        + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xFFFFFF));
    started.accept(runId);
    return new JobRun(this, runId, job, List.copyOf(args), clock.instant());
  }

  /**
   * Runs {@code body} as job {@code job}: the run is recorded as succeeded when it returns and as
   * failed, with the error's message, when it throws (the error is rethrown).
   */
  public <T> T run(String job, List<String> args, Function<JobRun, T> body) {
    try (WriterGuard.Entry admitted = guard.enter(job)) {
      return runAdmitted(job, args, body);
    }
  }

  private <T> T runAdmitted(String job, List<String> args, Function<JobRun, T> body) {
    JobRun run = start(job, args);
    T result;
    try {
      result = body.apply(run);
    } catch (RuntimeException | Error e) {
      try {
        run.fail(e);
      } catch (RuntimeException recordFailure) {
        e.addSuppressed(recordFailure);
      }
      throw e;
    }
    run.succeed();
    return result;
  }

  Warehouse warehouse() {
    return warehouse;
  }

  ConfigFile config() {
    return config;
  }

  Clock clock() {
    return clock;
  }

  CodeVersion code() {
    return code;
  }
}
