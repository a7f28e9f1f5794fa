package dev.mlops.features.registry;

import java.util.List;

/**
 * What {@code features apply} did.
 *
 * @param created definitions registered for the first time ({@code view customer_spend v1})
 * @param updated definitions whose descriptions, owner or tags changed
 * @param unchanged definitions already registered as they are
 */
public record ApplyResult(List<String> created, List<String> updated, List<String> unchanged) {}
