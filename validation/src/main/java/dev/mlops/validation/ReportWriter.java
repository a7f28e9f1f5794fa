package dev.mlops.validation;

import dev.mlops.core.tables.Json;
import dev.mlops.core.tables.ReportFiles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * Writes a validation report as JSON and as a small self-contained HTML page, to any Hadoop file
 * system the warehouse is on. Thread-safe.
 */
public final class ReportWriter {
  private ReportWriter() {}

  /** The report as a JSON-ready map. */
  public static Map<String, Object> json(ValidationResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("suite", r.suite());
    m.put("table", r.validated().table().toString());
    m.put("table_version", r.validated().version());
    m.put("partition", r.partition() == null ? null : r.partition().toString());
    m.put("rows", r.rows());
    m.put("run_id", r.runId());
    m.put("passed", r.passed());
    m.put("quarantined_rows", r.quarantinedRows());
    List<Map<String, Object>> checks = new ArrayList<>();
    for (CheckResult c : r.results()) {
      Map<String, Object> cm = new LinkedHashMap<>();
      cm.put("check", c.check());
      cm.put("type", c.type());
      cm.put("severity", c.severity().label());
      cm.put("status", c.status().label());
      cm.put("observed", c.observed());
      cm.put("expected", c.expected());
      cm.put("message", c.message());
      if (c.failingRows() >= 0) {
        cm.put("failing_rows", c.failingRows());
      }
      checks.add(cm);
    }
    m.put("checks", checks);
    List<Map<String, Object>> metrics = new ArrayList<>();
    for (Metric x : r.metrics()) {
      metrics.add(Map.of("analyzer", x.analyzer(), "column", x.column(), "value", x.value()));
    }
    m.put("metrics", metrics);
    return m;
  }

  static String html(ValidationResult r) {
    StringBuilder b = new StringBuilder();
    b.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>Validation of ").append(esc(r.validated().table().toString()))
        .append("</title><style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
            + "td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}.success{background:#e6f4ea}"
            + ".failure,.error{background:#fce8e6}.quarantined{background:#fef7e0}</style></head><body>");
    b.append("<h1>").append(esc(r.validated().table().toString())).append(r.partition() == null ? "" : " " + esc(r.partition().toString()))
        .append(": ").append(r.passed() ? "passed" : "FAILED").append("</h1>");
    b.append("<p>Suite ").append(esc(r.suite())).append(", table version ").append(r.validated().version()).append(", ")
        .append(r.rows()).append(" rows, ").append(r.quarantinedRows()).append(" quarantined, run ").append(esc(r.runId()))
        .append("</p><table><tr><th>check</th><th>severity</th><th>status</th><th>observed</th><th>expected</th><th>message</th></tr>");
    for (CheckResult c : r.results()) {
      b.append("<tr class=\"").append(c.status().label()).append("\"><td>").append(esc(c.check())).append("</td><td>")
          .append(c.severity().label()).append("</td><td>").append(c.status().label()).append("</td><td>").append(esc(c.observed()))
          .append("</td><td>").append(esc(c.expected())).append("</td><td>").append(esc(c.message())).append("</td></tr>");
    }
    b.append("</table><h2>Metrics</h2><table><tr><th>analyzer</th><th>column</th><th>value</th></tr>");
    for (Metric m : r.metrics()) {
      b.append("<tr><td>").append(esc(m.analyzer())).append("</td><td>").append(esc(m.column())).append("</td><td>")
          .append(dev.mlops.validation.checks.Checks.number(m.value())).append("</td></tr>");
    }
    return b.append("</table></body></html>\n").toString();
  }

  /** Writes {@code text} to {@code path}, replacing it. */
  static void write(String path, String text, Configuration conf) {
    ReportFiles.write(path, text, conf, "validation report");
  }


  static String toJson(ValidationResult r) {
    return Json.write(json(r));
  }

  private static String esc(String s) {
    return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
