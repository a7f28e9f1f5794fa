package dev.mlops.core.pipeline;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Jinja-like templates of step commands, the subset Airflow renders the same way:
 * {@code {{ ds }}}, {@code {{ params.NAME }}}, {@code {{ macros.ds_add(ds, N) }}}, and in a
 * {@code range-command} also {@code {{ start }}} and {@code {{ end }}}. Anything else between
 * braces is refused. Stateless and thread-safe.
 */
public final class Templates {
  private static final Pattern EXPRESSION = Pattern.compile("\\{\\{(.*?)}}");
  private static final Pattern PARAM = Pattern.compile("params\\.([A-Za-z_][A-Za-z0-9_]*)");
  private static final Pattern DS_ADD = Pattern.compile("macros\\.ds_add\\(\\s*ds\\s*,\\s*(-?\\d{1,5})\\s*\\)");

  private Templates() {}

  /**
   * The values a template reads: the day {@code ds} (the last day of a range), the range's first
   * and last day (null outside a range), the params.
   */
  public record Values(LocalDate ds, LocalDate start, LocalDate end, Map<String, String> params) {
    /** The values of one day. */
    public static Values day(LocalDate ds, Map<String, String> params) {
      return new Values(ds, null, null, params);
    }

    /** The values of a range of days; {@code ds} is its last day. */
    public static Values range(LocalDate start, LocalDate end, Map<String, String> params) {
      return new Values(end, start, end, params);
    }
  }

  /**
   * What is wrong with {@code text}, if anything: an expression outside the subset, a param not
   * declared, {@code start}/{@code end} outside a range command, or unbalanced braces.
   */
  public static Optional<String> problem(String text, boolean range, Set<String> params) {
    Matcher m = EXPRESSION.matcher(text);
    StringBuilder rest = new StringBuilder();
    int last = 0;
    while (m.find()) {
      rest.append(text, last, m.start());
      last = m.end();
      String expression = m.group(1).strip();
      Matcher p = PARAM.matcher(expression);
      if (p.matches() && !params.contains(p.group(1))) {
        return Optional.of("unknown param " + p.group(1) + " in \"" + text + "\"; declare it under params (known: "
            + params + ")");
      }
      if (!p.matches() && !known(expression, range)) {
        return Optional.of("unknown template {{ " + expression + " }} in \"" + text + "\"; use {{ ds }}, {{ params.NAME }},"
            + " {{ macros.ds_add(ds, N) }}" + (range ? ", {{ start }} or {{ end }}" : " ({{ start }} and {{ end }} only in"
            + " range-command)"));
      }
    }
    rest.append(text.substring(last));
    if (rest.indexOf("{{") >= 0 || rest.indexOf("}}") >= 0) {
      return Optional.of("unbalanced template braces in \"" + text + "\"");
    }
    return Optional.empty();
  }

  private static boolean known(String expression, boolean range) {
    return expression.equals("ds") || DS_ADD.matcher(expression).matches()
        || (range && (expression.equals("start") || expression.equals("end")));
  }

  /**
   * {@code text} rendered with {@code values}.
   *
   * @throws dev.mlops.core.PlatformException naming {@code where} when the text has a template
   *     outside the subset, or one the values do not define
   */
  public static String render(String text, Values values, String where) {
    Matcher m = EXPRESSION.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(value(m.group(1).strip(), values, where, text)));
    }
    m.appendTail(out);
    if (out.indexOf("{{") >= 0 || out.indexOf("}}") >= 0) {
      throw PipelineErrors.badTemplate(where, "unbalanced template braces in \"" + text + "\"");
    }
    return out.toString();
  }

  /** Every argument of {@code args} rendered. */
  public static List<String> render(List<String> args, Values values, String where) {
    List<String> out = new ArrayList<>(args.size());
    for (String a : args) {
      out.add(render(a, values, where));
    }
    return out;
  }

  private static String value(String expression, Values v, String where, String text) {
    Matcher p = PARAM.matcher(expression);
    if (p.matches() && v.params().containsKey(p.group(1))) {
      return v.params().get(p.group(1));
    }
    Matcher add = DS_ADD.matcher(expression);
    if (add.matches()) {
      return v.ds().plusDays(Integer.parseInt(add.group(1))).toString();
    }
    if (expression.equals("ds")) {
      return v.ds().toString();
    }
    if (expression.equals("start") && v.start() != null) {
      return v.start().toString();
    }
    if (expression.equals("end") && v.end() != null) {
      return v.end().toString();
    }
    throw PipelineErrors.badTemplate(where, "cannot render {{ " + expression + " }} in \"" + text + "\"");
  }
}
