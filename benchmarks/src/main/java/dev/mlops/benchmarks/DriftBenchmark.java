package dev.mlops.benchmarks;

import dev.mlops.core.runs.JobRun;
import dev.mlops.core.runs.RunRecorder;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.monitoring.ColumnDrift;
import dev.mlops.monitoring.DriftInput;
import dev.mlops.monitoring.DriftJudge;
import dev.mlops.monitoring.drift.DriftResult;
import dev.mlops.monitoring.drift.DriftStatus;
import dev.mlops.monitoring.drift.DriftThresholds;
import dev.mlops.monitoring.drift.PopulationStabilityIndex;
import dev.mlops.monitoring.engines.DriftEngine;
import dev.mlops.monitoring.engines.ExactDriftEngine;
import dev.mlops.monitoring.engines.SketchDriftEngine;
import dev.mlops.validation.profiles.ProfileStore;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@code mlops bench drift}: the drift engines on generated Delta tables ({@link DriftBenchData}),
 * side by side in one process, three cases:
 *
 * <ol>
 *   <li><b>sketch vs exact</b>: the sketch engine with every profile already stored (a first,
 *       untimed run stores them) against the exact engine, every day of the current table against
 *       the whole reference table; their statuses compared as {@link DriftAgreement#withinTolerance}
 *       allows;
 *   <li><b>exact vs Evidently-style</b>: the exact engine against {@link EvidentlyStyleDrift} (each
 *       feature collected to the driver per day); PSI, KS and every other value equal to 1e-9, and
 *       the same statuses;
 *   <li><b>heap over many partitions</b>: the sketch engine over {@link Scale#manyPartitions()}
 *       small days (profiles stored) against the exact engine, in process, statuses compared as in
 *       case 1; then the same sketch run by the caller in a JVM whose heap is capped at {@value
 *       #HEAP_CAP_MB} MB ({@link #probe()}), which must complete with the in-process run's results.
 * </ol>
 *
 * <p>Not thread-safe (one per run).
 */
public final class DriftBenchmark {
  /** The heap the sketch engine's run over many partitions must fit in. */
  public static final long HEAP_CAP_MB = 1024;
  /** How far the exact engine's values may be from the baseline's. */
  static final double IDENTICAL = 1e-9;
  /** What the sketch engine's results may differ by from the exact engine's (see {@link DriftAgreement#withinTolerance}). */
  static final String SKETCH_TOLERANCE = "statuses may differ only within the sketches' error bounds of a threshold";

  /**
   * The sizes of a run.
   *
   * @param name names the generated tables ({@code bench.drift_current_<name>})
   * @param numeric numeric features
   * @param categorical categorical features
   * @param days days of the current table
   * @param rowsPerDay its rows a day
   * @param referenceDays days of the reference table
   * @param referenceRowsPerDay its rows a day
   * @param shiftedDays the last days of the current table with a planted shift
   * @param manyPartitions the small days of the heap case
   * @param rowsPerManyPartition their rows
   */
  public record Scale(String name, int numeric, int categorical, int days, long rowsPerDay, int referenceDays,
      long referenceRowsPerDay, int shiftedDays, int manyPartitions, long rowsPerManyPartition) {
    /** 50 numeric and 10 categorical features, 30 days of 100,000 rows against 30 of 100,000, 1,000 days of 100. */
    public static Scale full() {
      return new Scale("full", 50, 10, 30, 100_000, 30, 100_000, 10, 1_000, 100);
    }

    /** A smoke run: 10 numeric and 4 categorical features, 6 days of 20,000 rows against 6 of 20,000, 200 days of 100. */
    public static Scale quick() {
      return new Scale("quick", 10, 4, 6, 20_000, 6, 20_000, 2, 200, 100);
    }
  }

  /**
   * The sketch engine over the many small partitions, as measured in a JVM of its own.
   *
   * @param seconds its time
   * @param heapMaxMb the JVM's maximum heap
   * @param heapPeakMb the sum of the heap pools' peaks during the run: an upper bound of the heap
   *     used, garbage included
   * @param digest a digest of every result's status and value, to compare with another run's
   */
  public record Probe(double seconds, long heapMaxMb, long heapPeakMb, String digest) {}

  private final RunRecorder runs;
  private final Scale scale;
  private final DriftBenchData data;
  private final DriftJudge judge = new DriftJudge(DriftThresholds.defaults(), PopulationStabilityIndex.DEFAULT_BINS);
  private final DriftEngine sketchEngine;
  private final DriftEngine exactEngine = new ExactDriftEngine();

  /** The benchmark on {@code warehouse} (its own), recording runs with {@code runs}. */
  public DriftBenchmark(Warehouse warehouse, RunRecorder runs, Scale scale) {
    this.runs = runs;
    this.scale = scale;
    this.data = new DriftBenchData(warehouse, scale);
    this.sketchEngine = new SketchDriftEngine(new ProfileStore(warehouse, Clock.systemUTC()));
  }

  /**
   * Generates the data (once) and runs the three cases, reporting each result as soon as it is
   * known; {@code cappedProbe} runs {@link #probe()} in a JVM with a heap of {@value #HEAP_CAP_MB}
   * MB (or throws). Whether every case's outputs agreed.
   */
  public boolean run(Consumer<String> progress, Consumer<BenchResult> report, Supplier<Probe> cappedProbe) {
    progress.accept("generating the tables (once)");
    data.generate();
    JobRun run = runs.start("bench-drift", List.of(scale.name()));
    DriftInput main = data.mainInput();
    progress.accept("sketch engine: storing the profiles (untimed)");
    sketchEngine.compare(main, judge, run);
    progress.accept("sketch engine, profiles stored");
    Timer.Timed<List<ColumnDrift>> sketch = Timer.time(() -> sketchEngine.compare(main, judge, run));
    progress.accept("exact engine");
    Timer.Timed<List<ColumnDrift>> exact = Timer.time(() -> exactEngine.compare(main, judge, run));
    List<BenchResult> results = new ArrayList<>();
    results.add(sketchVersusExact(sketch, exact, progress));
    report.accept(results.get(0));
    progress.accept("Evidently-style baseline: a collect per day and feature");
    Timer.Timed<List<ColumnDrift>> baseline = Timer.time(() -> EvidentlyStyleDrift.compare(main, judge));
    results.add(exactVersusBaseline(exact, baseline, progress));
    report.accept(results.get(1));
    results.add(heap(run, progress, cappedProbe));
    report.accept(results.get(2));
    run.succeed();
    return results.stream().allMatch(r -> Boolean.TRUE.equals(r.details().get("identical_output")));
  }

  private BenchResult sketchVersusExact(Timer.Timed<List<ColumnDrift>> sketch, Timer.Timed<List<ColumnDrift>> exact,
      Consumer<String> progress) {
    DriftAgreement.Outcome agreement = DriftAgreement.withinTolerance(exact.value(), sketch.value(), judge.thresholds());
    Map<String, Object> d = details("exact engine (every row)", agreement, progress, "sketch vs exact");
    d.put("tolerance", SKETCH_TOLERANCE);
    d.put("statuses_differing_within_tolerance", agreement.allowedDifferences());
    d.put("max_ks_difference", round(agreement.maxKsDifference(), 6));
    d.put("max_ks_difference_over_bound", round(agreement.maxKsShareOfBound(), 3));
    d.put("max_psi_difference", round(agreement.maxPsiDifference(), 6));
    d.put("drifted_columns_exact", drifted(exact.value()));
    d.put("drifted_columns_sketch", drifted(sketch.value()));
    return new BenchResult("drift sketch vs exact", currentRows(), sketch.seconds(), exact.seconds(), d);
  }

  private BenchResult exactVersusBaseline(Timer.Timed<List<ColumnDrift>> exact, Timer.Timed<List<ColumnDrift>> baseline,
      Consumer<String> progress) {
    DriftAgreement.Outcome agreement = DriftAgreement.identical(baseline.value(), exact.value(), IDENTICAL);
    Map<String, Object> d = details("Evidently-style: a collect per day and feature, exact metrics on the driver",
        agreement, progress, "exact vs Evidently-style");
    d.put("tolerance", IDENTICAL + " on every value, the same statuses");
    d.put("collects", (long) scale.days() * (scale.numeric() + scale.categorical()) + scale.numeric() + scale.categorical());
    return new BenchResult("drift exact vs evidently-style", currentRows(), exact.seconds(), baseline.seconds(), d);
  }

  private BenchResult heap(JobRun run, Consumer<String> progress, Supplier<Probe> cappedProbe) {
    DriftInput many = data.manyInput();
    progress.accept(scale.manyPartitions() + " small days: sketch engine storing the profiles (untimed)");
    sketchEngine.compare(many, judge, run);
    Timer.Timed<List<ColumnDrift>> sketch = Timer.time(() -> sketchEngine.compare(many, judge, run));
    progress.accept(scale.manyPartitions() + " small days: exact engine");
    Timer.Timed<List<ColumnDrift>> exact = Timer.time(() -> exactEngine.compare(many, judge, run));
    DriftAgreement.Outcome agreement = DriftAgreement.withinTolerance(exact.value(), sketch.value(), judge.thresholds());
    Map<String, Object> d = details("exact engine (every row)", agreement, progress, "heap case, sketch vs exact");
    progress.accept(scale.manyPartitions() + " small days: sketch engine in a JVM capped at " + HEAP_CAP_MB + " MB");
    Probe probe = null;
    try {
      probe = cappedProbe.get();
    } catch (RuntimeException e) {
      progress.accept("heap case: the capped run failed: " + e.getMessage());
    }
    boolean same = probe != null && probe.digest().equals(digest(sketch.value()));
    d.put("identical_output", agreement.agree() && same);
    d.put("tolerance", SKETCH_TOLERANCE + "; the capped run's results bit for bit");
    d.put("partitions", scale.manyPartitions());
    d.put("heap_cap_mb", HEAP_CAP_MB);
    d.put("capped_run_completed", probe != null);
    d.put("capped_run_same_results", same);
    d.put("capped_heap_peak_mb", probe == null ? -1 : probe.heapPeakMb());
    d.put("capped_run_seconds", probe == null ? Double.NaN : round(probe.seconds(), 2));
    return new BenchResult("drift sketch " + scale.manyPartitions() + " partitions in " + HEAP_CAP_MB + " MB heap",
        scale.manyPartitions() * scale.rowsPerManyPartition(), sketch.seconds(), exact.seconds(), d);
  }

  /**
   * The sketch engine over the many small partitions, whose profiles the in-process run stored:
   * what {@code run}'s {@code cappedProbe} measures in a JVM of its own.
   */
  public Probe probe() {
    DriftInput many = data.manyInput();
    JobRun run = runs.start("bench-drift-probe", List.of(scale.name()));
    System.gc();
    List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP).toList();
    heap.forEach(MemoryPoolMXBean::resetPeakUsage);
    Timer.Timed<List<ColumnDrift>> sketch = Timer.time(() -> sketchEngine.compare(many, judge, run));
    long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum() >> 20;
    run.succeed();
    return new Probe(sketch.seconds(), Runtime.getRuntime().maxMemory() >> 20, peak, digest(sketch.value()));
  }

  private static Map<String, Object> details(String baseline, DriftAgreement.Outcome agreement, Consumer<String> progress,
      String what) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("baseline", baseline);
    d.put("identical_output", agreement.agree());
    if (!agreement.agree()) {
      progress.accept(what + ": OUTPUTS DIFFER in " + agreement.mismatches().size() + " results, first: "
          + agreement.mismatches().subList(0, Math.min(5, agreement.mismatches().size())));
    }
    return d;
  }

  private long currentRows() {
    return scale.days() * scale.rowsPerDay();
  }

  private static long drifted(List<ColumnDrift> columns) {
    return columns.stream().filter(c -> c.status() == DriftStatus.DRIFT).count();
  }

  /** A digest of every result's place, status and value. */
  static String digest(List<ColumnDrift> columns) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (ColumnDrift c : columns) {
        for (DriftResult r : c.results()) {
          sha.update((c.partition() + " " + c.column() + " " + r.metric() + " " + r.status() + " " + r.value() + "\n")
              .getBytes(StandardCharsets.UTF_8));
        }
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static double round(double v, int digits) {
    double scaleBy = Math.pow(10, digits);
    return Math.round(v * scaleBy) / scaleBy;
  }
}
