package dev.mlops.training.fairness;

import dev.mlops.training.gate.GateCheck;
import dev.mlops.training.gate.GateVerdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * A version's fairness audit on its test split: one {@link AttributeAudit} per protected
 * attribute. Made by {@link FairnessAuditor}; immutable and thread-safe.
 *
 * @param threshold the decision threshold the rates were measured at
 * @param minGroupCount the rows a group needs to be compared
 * @param minClassCount the positives a group's TPR, and the negatives its FPR, need to be compared
 * @param attributes the audits, in the spec's order
 */
public record FairnessAudit(double threshold, int minGroupCount, int minClassCount, List<AttributeAudit> attributes) {
  public FairnessAudit {
    attributes = List.copyOf(attributes);
  }

  /** Whether every attribute passed. */
  public boolean passed() {
    return attributes.stream().allMatch(AttributeAudit::passed);
  }

  /**
   * The audit's gate checks: per attribute, one that it has two groups to compare, and one per
   * gap the spec limits.
   */
  public List<GateCheck> checks() {
    List<GateCheck> checks = new ArrayList<>();
    for (AttributeAudit a : attributes) {
      long sufficient = a.groups().stream().filter(GroupOutcome::sufficient).count();
      checks.add(new GateCheck("fairness " + a.attribute() + " groups", a.comparable(), sufficient, 2, String.format(Locale.ROOT,
          "fairness %s: %d of %d groups have at least %d test rows%s", a.attribute(), sufficient, a.groups().size(),
          minGroupCount, a.comparable() ? "" : "; fewer than 2, so the audit is insufficient and cannot pass")));
      for (Disparity d : a.disparities()) {
        if (d.limit() != null) {
          checks.add(new GateCheck("fairness " + a.attribute() + " " + d.metric(), d.passed(), d.value(), d.limit(),
              d.message(a.attribute())));
        }
      }
    }
    return checks;
  }

  /** {@code verdict} with this audit's checks after its own: it passes only if both do. */
  public GateVerdict gate(GateVerdict verdict) {
    List<GateCheck> checks = new ArrayList<>(verdict.checks());
    checks.addAll(checks());
    return new GateVerdict(verdict.passed() && passed(), checks, verdict.championVersion(), verdict.championMetrics());
  }

  /** The audit as the evaluation JSON holds it, under {@code fairness}. */
  public Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("passed", passed());
    m.put("threshold", threshold);
    m.put("min_group_count", minGroupCount);
    m.put("min_class_count", minClassCount);
    m.put("attributes", attributes.stream().map(AttributeAudit::json).toList());
    return m;
  }
}
