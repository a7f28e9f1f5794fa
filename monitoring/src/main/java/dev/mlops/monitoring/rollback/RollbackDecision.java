package dev.mlops.monitoring.rollback;

import dev.mlops.monitoring.alerts.Alert;
import java.util.List;

/**
 * What the rollback policy decided after one performance run. Immutable.
 *
 * @param model the model
 * @param action {@code none} (no policy, nothing in Production, or no breach long enough),
 *     {@code rolled_back}, {@code dry_run} (recorded, not made), or {@code already_decided} (these
 *     alerts already led to a decision: nothing done again)
 * @param fromVersion the Production version judged, or -1
 * @param toVersion the version restored (or that would be), or -1
 * @param alerts the policy's alerts of the breaching days (empty for {@code none})
 * @param reason the reason recorded with the rollback, or why nothing was done
 */
public record RollbackDecision(String model, String action, int fromVersion, int toVersion, List<Alert> alerts,
    String reason) {
  /** The actor the registry records a policy rollback under. */
  public static final String ACTOR = "policy:auto-rollback";

  public RollbackDecision {
    alerts = List.copyOf(alerts);
  }

  static RollbackDecision none(String model, int fromVersion, String why) {
    return new RollbackDecision(model, "none", fromVersion, -1, List.of(), why);
  }

  /** The ids of {@link #alerts}. */
  public List<String> alertIds() {
    return alerts.stream().map(Alert::id).toList();
  }
}
