package dev.mlops.features.online;

import java.time.Instant;
import java.util.Map;

/**
 * The online features of one entity for a service.
 *
 * @param key the entity's join key values, by column
 * @param values every feature of the service by output name, null when missing or expired
 * @param eventTimes per view, the event time of the values read (absent when nothing was found)
 */
public record FeatureVector(Map<String, Object> key, Map<String, Object> values, Map<String, Instant> eventTimes) {}
