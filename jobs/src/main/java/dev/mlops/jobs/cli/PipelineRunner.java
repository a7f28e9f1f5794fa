package dev.mlops.jobs.cli;

import dev.mlops.core.CodeVersion;
import dev.mlops.core.pipeline.PipelineDefinition;
import dev.mlops.core.pipeline.PipelineErrors;
import dev.mlops.core.pipeline.PipelineGraph;
import dev.mlops.core.pipeline.PipelineRuns;
import dev.mlops.core.pipeline.PipelineStep;
import dev.mlops.core.pipeline.StepRecord;
import dev.mlops.core.pipeline.StepStatus;
import dev.mlops.core.pipeline.Templates;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Runs a pipeline's steps in this JVM, in dependency order (among ready steps, file order), one
 * at a time, recording each attempt in {@value PipelineRuns#TABLE_NAME}: steps that succeeded for
 * the date are skipped unless forced, a failed step is retried per its definition, then its
 * dependants are marked UPSTREAM_FAILED while independent steps still run. A backfill runs the
 * steps that have a {@code range-command} once over the range, then the others day by day. Not
 * thread-safe; one per command.
 */
final class PipelineRunner {
  private final PipelineRuns state;
  private final StepExecutor executor;
  private final Output out;
  private final Clock clock;
  private final String code;

  PipelineRunner(PipelineRuns state, StepExecutor executor, Output out, Clock clock, CodeVersion code) {
    this.state = state;
    this.executor = executor;
    this.out = out;
    this.clock = clock;
    this.code = code.label();
  }

  /**
   * Which steps run: all, or those {@code --from} (and its descendants), {@code --only} and
   * {@code --until} (and its ancestors) select, intersected. A dependency outside the selection
   * counts as done.
   */
  record Selection(String from, List<String> only, String until) {
    static Selection all() {
      return new Selection(null, List.of(), null);
    }

    Set<String> of(PipelineDefinition p) {
      PipelineGraph graph = new PipelineGraph(p.steps());
      Set<String> out = new LinkedHashSet<>(p.stepIds());
      if (from != null) {
        out.retainAll(graph.withDescendants(known(p, "--from", from)));
      }
      if (only != null && !only.isEmpty()) {
        only.forEach(id -> known(p, "--only", id));
        out.retainAll(only);
      }
      if (until != null) {
        out.retainAll(graph.withAncestors(known(p, "--until", until)));
      }
      return out;
    }

    private static String known(PipelineDefinition p, String option, String id) {
      p.step(id).orElseThrow(() -> PipelineErrors.unknownStep(p, option, id));
      return id;
    }
  }

  /** Runs the selected steps of {@code p} for {@code day}. */
  List<StepResult> run(PipelineDefinition p, LocalDate day, Selection selection, boolean force) {
    Set<String> chosen = selection.of(p);
    List<PipelineStep> steps = p.steps().stream().filter(s -> chosen.contains(s.id())).toList();
    return pass(p, steps, day, null, s -> render(p, s.command(), Templates.Values.day(day, p.params()), s), force, Set.of());
  }

  /** Runs the selected range steps of {@code p} once over {@code start .. end}, then the others day by day. */
  List<StepResult> backfill(PipelineDefinition p, LocalDate start, LocalDate end, Selection selection, boolean force) {
    if (start.isAfter(end)) {
      throw PipelineErrors.badRange(start, end);
    }
    Set<String> chosen = selection.of(p);
    List<PipelineStep> ranged = p.steps().stream().filter(s -> chosen.contains(s.id()) && s.hasRange()).toList();
    List<PipelineStep> daily = p.steps().stream().filter(s -> chosen.contains(s.id()) && !s.hasRange()).toList();
    Templates.Values range = Templates.Values.range(start, end, p.params());
    List<StepResult> results = new ArrayList<>(pass(p, ranged, end, start, s -> render(p, s.rangeCommand(), range, s), force,
        Set.of()));
    Set<String> failedRanges = new HashSet<>();
    results.stream().filter(StepResult::failed).forEach(r -> failedRanges.add(r.step()));
    for (LocalDate day = start; !day.isAfter(end) && !daily.isEmpty(); day = day.plusDays(1)) {
      LocalDate d = day;
      results.addAll(pass(p, daily, d, null, s -> render(p, s.command(), Templates.Values.day(d, p.params()), s), force,
          failedRanges));
    }
    return results;
  }

  private static List<String> render(PipelineDefinition p, List<String> args, Templates.Values values, PipelineStep s) {
    return Templates.render(args, values, p.source() + ": step " + s.id());
  }

  /** Runs {@code steps} for one day (or one range), in dependency order. */
  private List<StepResult> pass(PipelineDefinition p, List<PipelineStep> steps, LocalDate runDate, LocalDate rangeStart,
      Function<PipelineStep, List<String>> commands, boolean force, Set<String> failedBefore) {
    Map<String, PipelineRuns.StepState> states = state.states(p.name(), runDate, rangeStart == null ? runDate : rangeStart);
    Set<String> failed = new HashSet<>(failedBefore);
    List<StepResult> results = new ArrayList<>();
    Map<String, PipelineStep> byId = new java.util.HashMap<>();
    steps.forEach(s -> byId.put(s.id(), s));
    for (String id : new PipelineGraph(steps).order()) {
      PipelineStep step = byId.get(id);
      List<String> command = commands.apply(step);
      StepRecord base = new StepRecord(p.name(), runDate, rangeStart, id, 0, StepStatus.RUNNING, clock.instant(), null,
          null, null, command, code);
      List<String> blocking = step.after().stream().filter(failed::contains).toList();
      PipelineRuns.StepState known = states.getOrDefault(id, PipelineRuns.StepState.none());
      StepResult r = !blocking.isEmpty() ? notRun(base, StepStatus.UPSTREAM_FAILED, "upstream failed: " + String.join(", ",
          blocking)) : known.succeeded() && !force ? notRun(base, StepStatus.SKIPPED, null)
          : attempts(p, step, base, known.lastAttempt());
      if (r.failed()) {
        failed.add(id);
      }
      results.add(r);
    }
    return results;
  }

  private StepResult notRun(StepRecord base, StepStatus status, String why) {
    state.record(base.ended(status, clock.instant(), why, null));
    out.progress(label(base) + ": " + status + (why == null ? "" : " (" + why + ")"));
    return new StepResult(base.step(), base.runDate(), base.rangeStart(), status, 0, Duration.ZERO, null, List.of(), why,
        base.command(), null);
  }

  /** The attempts of {@code step}: the first, then its retries while it fails. */
  private StepResult attempts(PipelineDefinition p, PipelineStep step, StepRecord base, int lastAttempt) {
    Instant started = clock.instant();
    StepExecutor.Outcome outcome = null;
    List<String> runIds = new ArrayList<>();
    int made = 0;
    while (made <= step.retries() && (outcome == null || !outcome.succeeded())) {
      if (made > 0) {
        out.progress(label(base) + ": retrying in " + (step.retryDelay().isZero() ? "0s"
            : dev.mlops.core.config.Durations.format(step.retryDelay())));
        pause(step.retryDelay());
      }
      made++;
      StepRecord attempt = new StepRecord(base.pipeline(), base.runDate(), base.rangeStart(), base.step(), lastAttempt + made,
          StepStatus.RUNNING, clock.instant(), null, null, null, base.command(), base.codeVersion());
      state.record(attempt);
      out.progress(label(base) + ": attempt " + made + ": mlops " + String.join(" ", base.command()));
      outcome = executor.run(base.command(), "pipeline " + p.name() + " " + label(base), step.timeout());
      runIds.addAll(outcome.runIds());
      String ids = outcome.runIds().isEmpty() ? null : String.join(",", outcome.runIds());
      state.record(attempt.ended(outcome.succeeded() ? StepStatus.SUCCEEDED : StepStatus.FAILED, clock.instant(),
          outcome.error(), ids));
      out.progress(label(base) + ": " + (outcome.succeeded() ? "SUCCEEDED" : "FAILED: " + outcome.error()));
    }
    StepStatus status = outcome.succeeded() ? StepStatus.SUCCEEDED : StepStatus.FAILED;
    return new StepResult(base.step(), base.runDate(), base.rangeStart(), status, made, Duration.between(started,
        clock.instant()), StepResult.rows(outcome.result()), List.copyOf(runIds), outcome.error(), base.command(),
        outcome.result());
  }

  private static String label(StepRecord r) {
    return "step " + r.step() + " " + (r.rangeStart() == null ? r.runDate() : r.rangeStart() + ".." + r.runDate());
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting to retry", e);
    }
  }
}
