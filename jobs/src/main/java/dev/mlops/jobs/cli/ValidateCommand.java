package dev.mlops.jobs.cli;

import dev.mlops.core.tables.TableName;
import dev.mlops.validation.CheckResult;
import dev.mlops.validation.Partition;
import dev.mlops.validation.ReportWriter;
import dev.mlops.validation.Suite;
import dev.mlops.validation.SuiteLoader;
import dev.mlops.validation.ValidationResult;
import dev.mlops.validation.Validator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code mlops validate}: runs a validation suite, prints the report, exits 1 when an error-level check fails. */
@Command(name = "validate",
    description = "Validate a table with a suite: one pass, history, anomalies, quarantine; exit 1 on an error-level failure.")
public final class ValidateCommand implements Callable<Integer> {
  @ParentCommand MlopsCommand parent;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--suite", required = true, paramLabel = "FILE|NAME",
      description = "A suite file, or the name of one in validation.suites (raw_transactions for conf/validation/raw_transactions.yaml).")
  String suite;

  @Option(names = "--table", description = "Validate this table instead of the suite's own (same columns).")
  String table;

  @Option(names = "--partition", paramLabel = "COLUMN=VALUE", description = "Validate one partition, for example date=2026-11-01.")
  String partition;

  @Override
  public Integer call() {
    CliContext ctx = new CliContext(parent.global, parent.output());
    Suite s = suite(ctx, suite);
    if (table != null) {
      s = s.on(TableName.parse(table));
    }
    ValidationResult r = run(ctx, s, partition == null ? null : Partition.parse(partition), spec.commandLine().getParseResult()
        .originalArgs());
    ctx.output().machine(ReportWriter.json(r));
    return r.passed() ? 0 : ctx.output().failed("suite " + r.suite() + " failed on " + r.validated() + ": "
        + String.join("; ", r.results().stream().filter(CheckResult::failsGate).map(c -> c.check() + " (" + c.message() + ")")
            .toList()));
  }

  /** The suite {@code suite}: a file, or the name of one in {@code validation.suites}; reads files only. */
  static Suite suite(CliContext ctx, String suite) {
    Path file = Path.of(suite);
    if (!Files.exists(file)) {
      Path folder = Path.of(ctx.config().config().validation().suites());
      file = Files.exists(folder.resolve(suite + ".yaml")) ? folder.resolve(suite + ".yaml") : folder.resolve(suite);
      if (!Files.exists(file)) {
        throw CliErrors.suiteNotFound(suite, folder);
      }
    }
    return new SuiteLoader(System::getenv).load(file, file.toString());
  }

  /** Runs {@code suite} as a recorded job and prints the report for people. */
  static ValidationResult run(CliContext ctx, Suite suite, Partition partition, List<String> args) {
    Output out = ctx.output();
    out.progress("validating " + suite.table() + (partition == null ? "" : " " + partition) + " with " + suite.source());
    ValidationResult r = ctx.runs().run("validate", args, run -> new Validator(ctx.warehouse(), Clock.systemUTC())
        .validate(suite, partition, run));
    out.human(describe(r));
    return r;
  }

  /** The report as a table, with a headline and the report paths. */
  static String describe(ValidationResult r) {
    List<Row> rows = new ArrayList<>();
    for (CheckResult c : r.results()) {
      rows.add(RowFactory.create(c.check(), c.severity().label(), c.status().label(), c.observed(), c.expected()));
    }
    String headline = String.format("%s%s (version %d, %,d rows): %s, %,d rows quarantined", r.validated().table(),
        r.partition() == null ? "" : " " + r.partition(), r.validated().version(), r.rows(),
        r.passed() ? "PASSED" : "FAILED", r.quarantinedRows());
    return headline + "\n" + TablePrinter.render(new String[] {"check", "severity", "status", "observed", "expected"}, rows)
        + "\nreport: " + r.report() + "\n        " + r.htmlReport();
  }
}
