package dev.mlops.monitoring.report;

/**
 * A small writer of inline SVG: marks styled by class (the colours live in the stylesheet), texts
 * escaped, hover titles as {@code <title>} children. No namespace declaration and no references to
 * other documents: an SVG inside an HTML page needs neither. Not thread-safe.
 */
final class Svg {
  private final StringBuilder b = new StringBuilder();

  /** An SVG of {@code width} x {@code height} user units, scaled to its box, described by {@code label}. */
  Svg(String cssClass, double width, double height, String label) {
    this(cssClass, width, height, label, "");
  }

  private Svg(String cssClass, double width, double height, String label, String extra) {
    b.append("<svg class=\"").append(cssClass).append("\" viewBox=\"0 0 ").append(Numbers.px(width)).append(' ')
        .append(Numbers.px(height)).append('"').append(extra).append(" role=\"img\" aria-label=\"")
        .append(Html.esc(label)).append("\">");
  }

  /** An SVG stretched to its box in both directions, for bars inside table cells. */
  static Svg stretched(String cssClass, double width, double height, String label) {
    return new Svg(cssClass, width, height, label, " preserveAspectRatio=\"none\"");
  }

  Svg rect(double x, double y, double w, double h, String cssClass, String title) {
    b.append("<rect class=\"").append(cssClass).append("\" x=\"").append(Numbers.px(x)).append("\" y=\"")
        .append(Numbers.px(y)).append("\" width=\"").append(Numbers.px(Math.max(0, w))).append("\" height=\"")
        .append(Numbers.px(Math.max(0, h))).append('"');
    return titled(title, "rect");
  }

  Svg line(double x1, double y1, double x2, double y2, String cssClass) {
    b.append("<line class=\"").append(cssClass).append("\" x1=\"").append(Numbers.px(x1)).append("\" y1=\"")
        .append(Numbers.px(y1)).append("\" x2=\"").append(Numbers.px(x2)).append("\" y2=\"").append(Numbers.px(y2))
        .append("\" vector-effect=\"non-scaling-stroke\"/>");
    return this;
  }

  Svg circle(double cx, double cy, double r, String cssClass, String title) {
    b.append("<circle class=\"").append(cssClass).append("\" cx=\"").append(Numbers.px(cx)).append("\" cy=\"")
        .append(Numbers.px(cy)).append("\" r=\"").append(Numbers.px(r)).append('"');
    return titled(title, "circle");
  }

  /** A text; {@code anchor} is {@code start}, {@code middle} or {@code end}. */
  Svg text(double x, double y, String text, String anchor, String cssClass) {
    return text(x, y, text, anchor, cssClass, null);
  }

  /** A text with a hover title (the full text of a shortened label). */
  Svg text(double x, double y, String text, String anchor, String cssClass, String title) {
    b.append("<text class=\"").append(cssClass).append("\" x=\"").append(Numbers.px(x)).append("\" y=\"")
        .append(Numbers.px(y)).append("\" text-anchor=\"").append(anchor).append("\">");
    if (title != null) {
      b.append("<title>").append(Html.esc(title)).append("</title>");
    }
    b.append(Html.esc(text)).append("</text>");
    return this;
  }

  /** The SVG's markup. */
  String end() {
    return b.append("</svg>").toString();
  }

  private Svg titled(String title, String tag) {
    if (title == null) {
      b.append("/>");
    } else {
      b.append("><title>").append(Html.esc(title)).append("</title></").append(tag).append('>');
    }
    return this;
  }
}
