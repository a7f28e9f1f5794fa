package dev.mlops.training.fairness;

import dev.mlops.training.spec.FairnessSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The audit of one protected attribute: its groups' outcomes and the gaps between the groups
 * that have enough rows, with Fairlearn's definitions (each over the sufficient groups, a true
 * positive rate only of a group with {@code min-class-count} positives, a false positive rate
 * only with as many negatives):
 * demographic parity difference {@code max - min} of the selection rate and ratio
 * {@code min / max}; equal opportunity difference {@code max - min} of the true positive rate;
 * equalized odds difference, the larger of the true and false positive rates' {@code max - min}.
 * Immutable.
 *
 * @param attribute the column
 * @param groups every group, sufficient or not, in value order
 * @param disparities the four gaps, in the order above
 */
public record AttributeAudit(String attribute, List<GroupOutcome> groups, List<Disparity> disparities) {
  public AttributeAudit {
    groups = List.copyOf(groups);
    disparities = List.copyOf(disparities);
  }

  /** The audit of {@code attribute}'s {@code groups} against {@code spec}'s limits. */
  static AttributeAudit of(String attribute, List<GroupOutcome> groups, FairnessSpec spec) {
    List<GroupOutcome> sufficient = groups.stream().filter(GroupOutcome::sufficient).toList();
    Spread selection = Spread.of(sufficient, GroupOutcome::selectionRate);
    Spread tpr = Spread.of(groups.stream().filter(GroupOutcome::comparesTruePositiveRate).toList(),
        GroupOutcome::truePositiveRate);
    Spread fpr = Spread.of(groups.stream().filter(GroupOutcome::comparesFalsePositiveRate).toList(),
        GroupOutcome::falsePositiveRate);
    Spread odds = Double.isNaN(tpr.difference()) || Double.isNaN(fpr.difference()) ? Spread.UNDEFINED
        : fpr.difference() > tpr.difference() ? fpr : tpr;
    List<Disparity> d = new ArrayList<>();
    d.add(selection.disparity("demographic_parity_difference", selection.difference(), spec.maxDemographicParityDifference()));
    d.add(selection.disparity(Disparity.RATIO, selection.ratio(), spec.minDemographicParityRatio()));
    d.add(tpr.disparity("equal_opportunity_difference", tpr.difference(), spec.maxEqualOpportunityDifference()));
    d.add(odds.disparity("equalized_odds_difference", odds.difference(), spec.maxEqualizedOddsDifference()));
    return new AttributeAudit(attribute, groups, d);
  }

  /** Whether at least two groups have enough rows to be compared. */
  public boolean comparable() {
    return groups.stream().filter(GroupOutcome::sufficient).count() >= 2;
  }

  /** Whether the attribute passes: comparable groups, and every gated gap within its limit. */
  public boolean passed() {
    return comparable() && disparities.stream().allMatch(Disparity::passed);
  }

  /** The gap of {@code metric}. */
  public Disparity disparity(String metric) {
    return disparities.stream().filter(x -> x.metric().equals(metric)).findFirst().orElseThrow();
  }

  /** The largest of the differences (the ratio aside), with its groups; undefined ones count last. */
  public Disparity largestGap() {
    return disparities.stream().filter(x -> !x.metric().equals(Disparity.RATIO))
        .max(Comparator.comparingDouble(x -> Double.isNaN(x.value()) ? Double.NEGATIVE_INFINITY : x.value())).orElseThrow();
  }

  Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("attribute", attribute);
    m.put("passed", passed());
    m.put("status", !comparable() ? "insufficient" : passed() ? "passed" : "failed");
    m.put("groups", groups.stream().map(GroupOutcome::json).toList());
    m.put("disparities", disparities.stream().map(Disparity::json).toList());
    m.put("largest_gap", largestGap().json());
    return m;
  }

  /** The highest and lowest value of a rate over groups; NaN when a group's rate, or every group, is missing. */
  private record Spread(double max, String high, double min, String low) {
    static final Spread UNDEFINED = new Spread(Double.NaN, null, Double.NaN, null);

    static Spread of(List<GroupOutcome> groups, ToDoubleFunction<GroupOutcome> rate) {
      if (groups.size() < 2 || groups.stream().anyMatch(g -> Double.isNaN(rate.applyAsDouble(g)))) {
        return UNDEFINED;
      }
      GroupOutcome hi = groups.get(0);
      GroupOutcome lo = groups.get(0);
      for (GroupOutcome g : groups) {
        hi = rate.applyAsDouble(g) > rate.applyAsDouble(hi) ? g : hi;
        lo = rate.applyAsDouble(g) <= rate.applyAsDouble(lo) ? g : lo; // ties: hi the first, lo the last
      }
      return new Spread(rate.applyAsDouble(hi), hi.value(), rate.applyAsDouble(lo), lo.value());
    }

    double difference() {
      return max - min;
    }

    double ratio() {
      return max == 0 ? Double.NaN : min / max;
    }

    Disparity disparity(String metric, double value, Double limit) {
      return new Disparity(metric, value, Double.isNaN(value) ? null : high, Double.isNaN(value) ? null : low, limit);
    }
  }
}
