package dev.mlops.training.registry;

import java.time.Instant;

/**
 * One entry of the registry's audit log, {@code ml.model_events}: who did what to which version,
 * when, and why.
 *
 * @param model the model
 * @param version the version
 * @param event {@code register}, {@code transition}, {@code approve}, {@code reject},
 *     {@code rollback}, {@code alias}, {@code alias_deleted} or {@code transition_refused} (a
 *     transition that lost a race or broke a rule, with the reason)
 * @param fromStage the stage before (null when not a stage change)
 * @param toStage the stage after, or asked for (null when not a stage change)
 * @param actor who
 * @param reason why, as given
 * @param at when
 * @param runId the run that did it
 */
public record ModelEvent(String model, int version, String event, String fromStage, String toStage, String actor,
    String reason, Instant at, String runId) {}
