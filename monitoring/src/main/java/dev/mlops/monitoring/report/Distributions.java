package dev.mlops.monitoring.report;

import dev.mlops.monitoring.ColumnDrift;
import dev.mlops.monitoring.drift.Bucket;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One panel per drifted column (DRIFT in any partition; the most drifted first, at most {@value
 * #MAX_PANELS}): its reference and current distributions in the first partition it drifted in.
 */
final class Distributions {
  static final int MAX_PANELS = 12;

  private Distributions() {}

  static void render(StringBuilder b, List<FeatureDrift> rows) {
    List<FeatureDrift> drifted = rows.stream().filter(FeatureDrift::drifted).toList();
    if (drifted.isEmpty()) {
      return;
    }
    b.append("<section class=\"distributions\"><h2>What changed: distributions in the first drifted partition</h2>")
        .append("<div class=\"legend\"><span><span class=\"key reference\"></span>reference</span>")
        .append("<span><span class=\"key current\"></span>current partition</span>")
        .append("<span>Numeric columns: the PSI bins, cut at the reference's quantiles. Categorical columns: the largest")
        .append(" categories; NEW marks categories the reference does not have, SKETCH the rows a sketch did not keep.")
        .append("</span></div><div class=\"panels\">");
    drifted.stream().limit(MAX_PANELS).forEach(f -> panel(b, f, f.at(f.firstDrifted())));
    b.append("</div>");
    if (drifted.size() > MAX_PANELS) {
      b.append("<p class=\"note\">").append(drifted.size() - MAX_PANELS).append(" more drifted columns not drawn: ")
          .append(Html.esc(String.join(", ", drifted.subList(MAX_PANELS, drifted.size()).stream()
              .map(FeatureDrift::column).toList()))).append(".</p>");
    }
    b.append("</section>");
  }

  private static void panel(StringBuilder b, FeatureDrift f, ColumnDrift c) {
    b.append("<figure class=\"panel\" data-column=\"").append(Html.esc(f.column())).append("\"><figcaption><b>")
        .append(Html.esc(f.column())).append("</b> <span class=\"nw\">")
        .append(f.isScore() ? "model score" : f.kind().name().toLowerCase(Locale.ROOT)).append(" \u00b7 ")
        .append(Html.esc(c.partition())).append("</span><span class=\"metrics\">");
    for (String part : MetricText.summary(c)) {
      b.append("<span class=\"nw\">").append(Html.esc(part)).append("</span> \u00b7 ");
    }
    b.append("<span class=\"nw\">rows ").append(Numbers.count(c.referenceRows())).append(" / ")
        .append(Numbers.count(c.currentRows())).append("</span></span></figcaption>");
    Optional<BinShares> shares = BinShares.of(c);
    if (shares.isEmpty()) {
      b.append("<p class=\"note\">No distribution recorded for this partition.</p>");
    } else {
      b.append(PairedBars.svg(f.column(), shares.get()));
      notes(b, shares.get());
    }
    b.append("</figure>");
  }

  private static void notes(StringBuilder b, BinShares s) {
    if (s.hidden() > 0) {
      b.append("<p class=\"note\">").append(s.hidden()).append(" smaller categories not drawn: ")
          .append(Numbers.percent(s.hiddenReference())).append(" of the reference, ")
          .append(Numbers.percent(s.hiddenCurrent())).append(" of the current rows.</p>");
    }
    s.bins().stream().filter(x -> x.kind() == Bucket.Kind.UNSEEN && x.current() > 0).findFirst()
        .ifPresent(x -> b.append("<p class=\"note\">").append(Numbers.percent(x.current()))
            .append(" of the current rows have categories the reference never had.</p>"));
  }
}
