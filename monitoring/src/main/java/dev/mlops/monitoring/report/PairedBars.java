package dev.mlops.monitoring.report;

import dev.mlops.monitoring.drift.Bucket;

/**
 * A column's two distributions as paired horizontal bars, one pair per bin: the reference's share
 * above the current one, on one scale, the labels on the left. The UNSEEN and OTHER buckets are
 * named in words, in italics, and flagged.
 */
final class PairedBars {
  private static final double WIDTH = 330;
  private static final double LABEL_W = 112;
  private static final double ROW_H = 22;
  private static final double BAR_H = 8;
  private static final double TOP = 6;
  private static final int LABEL_CHARS = 18;

  private PairedBars() {}

  static String svg(String column, BinShares shares) {
    double max = shares.bins().stream().mapToDouble(b -> Math.max(b.reference(), b.current())).max().orElse(0);
    double scale = max == 0 ? 0 : (WIDTH - LABEL_W - 4 - 70) / max;
    double height = TOP + ROW_H * shares.bins().size() + 4;
    Svg svg = new Svg("bars", WIDTH, height, "reference and current shares of " + column);
    double x0 = LABEL_W + 4;
    for (int i = 0; i < shares.bins().size(); i++) {
      BinShares.Bin bin = shares.bins().get(i);
      double y = TOP + ROW_H * i;
      String css = mark(bin.kind());
      String label = label(bin);
      String title = label + ": reference " + Numbers.percent(bin.reference()) + ", current "
          + Numbers.percent(bin.current());
      svg.text(LABEL_W, y + BAR_H + 5, Html.shorten(label, LABEL_CHARS), "end", ("label " + css).strip(), title);
      svg.rect(x0, y, bin.reference() * scale, BAR_H, "reference", "reference " + title);
      svg.text(x0 + bin.reference() * scale + 3, y + BAR_H - 1, Numbers.percent(bin.reference()), "start", "pct muted");
      svg.rect(x0, y + BAR_H + 1, bin.current() * scale, BAR_H, ("current " + css).strip(), "current " + title);
      String current = Numbers.percent(bin.current());
      svg.text(x0 + bin.current() * scale + 3, y + 2 * BAR_H, current, "start", "pct");
      if (bin.kind() != Bucket.Kind.CATEGORY) {
        svg.text(x0 + bin.current() * scale + 8 + 5.5 * current.length(), y + 2 * BAR_H,
            bin.kind() == Bucket.Kind.UNSEEN ? "NEW" : "SKETCH", "start", "flag " + css);
      }
    }
    svg.line(x0, TOP - 3, x0, height - 2, "axis");
    return svg.end();
  }

  /** The label people read: the bin's, or words for the UNSEEN and OTHER buckets. */
  static String label(BinShares.Bin bin) {
    return switch (bin.kind()) {
      case UNSEEN -> "new categories";
      case OTHER -> "other (not kept)";
      case CATEGORY -> bin.label();
    };
  }

  private static String mark(Bucket.Kind kind) {
    return switch (kind) {
      case UNSEEN -> "unseen";
      case OTHER -> "other";
      case CATEGORY -> "";
    };
  }
}
