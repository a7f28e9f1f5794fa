package dev.mlops.training.gate;

/**
 * One check of a gate.
 *
 * @param name what was checked: {@code min roc_auc}, {@code champion pr_auc},
 *     {@code slice channel=online pr_auc}
 * @param passed whether it passed
 * @param observed the new version's figure
 * @param required the figure it had to reach (for champion checks: the champion's figure plus
 *     the margin; for slices: the champion's figure minus the allowed loss)
 * @param message a sentence with the figures
 */
public record GateCheck(String name, boolean passed, double observed, double required, String message) {}
