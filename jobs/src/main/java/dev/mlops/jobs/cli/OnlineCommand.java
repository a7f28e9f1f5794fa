package dev.mlops.jobs.cli;

import dev.mlops.features.online.FeatureVector;
import dev.mlops.features.online.OnlineFeatureClient;
import dev.mlops.features.online.OnlineSync;
import dev.mlops.features.online.OnlineVerifier;
import dev.mlops.features.online.SyncResult;
import dev.mlops.features.online.VerifyResult;
import dev.mlops.features.registry.FeatureRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code mlops online ...}: the Redis online store. */
@Command(name = "online", description = "Sync feature tables to Redis, read vectors, check skew.",
    subcommands = {OnlineCommand.Sync.class, OnlineCommand.Get.class, OnlineCommand.Verify.class})
public final class OnlineCommand {
  @ParentCommand MlopsCommand parent;

  CliContext context() {
    return new CliContext(parent.global, parent.output());
  }

  /** Which views a sync covers. */
  static final class Target {
    @Option(names = "--view", required = true, description = "A feature view.")
    String view;

    @Option(names = "--service", required = true, description = "Every view of a feature service.")
    String service;
  }

  /** {@code online sync}. */
  @Command(name = "sync",
      description = "Push the latest row of every entity to Redis, incrementally from the last synced Delta version.")
  static final class Sync implements Callable<Integer> {
    @ParentCommand OnlineCommand online;
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Option(names = "--version", description = "The view's or service's version (default: the highest registered).")
    Integer version;

    @Option(names = "--full", description = "Rebuild: write every entity, then delete those no longer in the table.")
    boolean full;

    @Override
    public Integer call() {
      CliContext ctx = online.context();
      Output out = ctx.output();
      OnlineSync sync = ctx.onlineSync();
      out.progress("syncing " + (target.view != null ? "view " + target.view : "service " + target.service) + " to "
          + ctx.redisSettings().address());
      List<SyncResult> results = ctx.runs().run("online.sync", FeaturesCommand.args(spec), run -> target.view != null
          ? List.of(sync.sync(target.view, version, full, run)) : sync.syncService(target.service, version, full, run));
      List<Map<String, Object>> json = new ArrayList<>();
      for (SyncResult r : results) {
        out.human(String.format("%s: %s sync of %s (%s): %,d written, %,d skipped (newer online), %,d deleted", r.view(),
            r.mode(), r.table(), r.reason(), r.written(), r.skipped(), r.deleted()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("view", r.view());
        m.put("table", r.table().toString());
        m.put("mode", r.mode());
        m.put("reason", r.reason());
        m.put("written", r.written());
        m.put("skipped", r.skipped());
        m.put("deleted", r.deleted());
        json.add(m);
      }
      out.machine(Map.of("synced", json));
      return 0;
    }
  }

  /** {@code online get}. */
  @Command(name = "get", description = "Read the feature vector of one or more entities.")
  static final class Get implements Callable<Integer> {
    @ParentCommand OnlineCommand online;

    @Option(names = "--service", required = true, description = "The feature service.")
    String service;

    @Option(names = "--version", description = "The service's version (default: the highest synced).")
    Integer version;

    @Option(names = "--key", required = true, paramLabel = "COLUMN=VALUE",
        description = "A join key value; give every key of the service's entities. A column given again starts the next"
            + " entity: --key customer_id=1 --key customer_id=2 reads two.")
    List<String> keys;

    @Override
    public Integer call() {
      CliContext ctx = online.context();
      Output out = ctx.output();
      List<Map<String, Object>> entities = new ArrayList<>();
      Map<String, Object> current = new LinkedHashMap<>();
      for (String k : keys) {
        int eq = k.indexOf('=');
        if (eq <= 0) {
          throw CliErrors.badKeyArgument(k);
        }
        String column = k.substring(0, eq);
        if (current.containsKey(column)) {
          entities.add(current);
          current = new LinkedHashMap<>();
        }
        current.put(column, k.substring(eq + 1));
      }
      entities.add(current);
      try (OnlineFeatureClient client = ctx.onlineClient()) {
        List<FeatureVector> vectors = client.getBatch(service, version, entities);
        List<Map<String, Object>> json = new ArrayList<>();
        for (FeatureVector v : vectors) {
          out.human("entity " + v.key() + " (event times " + v.eventTimes() + ")");
          List<Row> rows = new ArrayList<>();
          v.values().forEach((name, value) -> rows.add(RowFactory.create(name, value == null ? null : String.valueOf(value))));
          out.human(TablePrinter.render(new String[] {"feature", "value"}, rows));
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("key", v.key());
          Map<String, Object> values = new LinkedHashMap<>();
          v.values().forEach((name, value) -> values.put(name, value instanceof java.time.temporal.Temporal ? value.toString() : value));
          m.put("values", values);
          Map<String, String> times = new LinkedHashMap<>();
          v.eventTimes().forEach((view, t) -> times.put(view, t.toString()));
          m.put("event_times", times);
          json.add(m);
        }
        out.machine(Map.of("vectors", json));
      }
      return 0;
    }
  }

  /** {@code online verify}. */
  @Command(name = "verify",
      description = "Compare a sample of online vectors with the offline tables: the training-serving skew check.")
  static final class Verify implements Callable<Integer> {
    @ParentCommand OnlineCommand online;
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--service", required = true, description = "The feature service.")
    String service;

    @Option(names = "--version", description = "The service's version (default: the highest registered).")
    Integer version;

    @Option(names = "--sample", defaultValue = "1000", description = "Entities per view (default: ${DEFAULT-VALUE}).")
    int sample;

    @Option(names = "--max-mismatch-rate", description = "Tolerated share of differing values (default: online.max-mismatch-rate).")
    Double maxRate;

    @Override
    public Integer call() {
      CliContext ctx = online.context();
      Output out = ctx.output();
      double tolerated = maxRate != null ? maxRate : ctx.config().config().online().maxMismatchRate();
      VerifyResult r;
      try (OnlineFeatureClient client = ctx.onlineClient()) {
        FeatureRegistry registry = new FeatureRegistry(ctx.warehouse(), Clock.systemUTC());
        r = ctx.runs().run("online.verify", FeaturesCommand.args(spec), run -> new OnlineVerifier(ctx.warehouse(), registry,
            client, ctx.onlineSync(), Clock.systemUTC()).verify(service, version, sample, 42L, tolerated));
      }
      out.human(String.format("%s: %,d entities, %,d values compared, %,d mismatches (%.4f%%, tolerated %.4f%%): %s",
          r.service(), r.entities(), r.values(), r.mismatches().size(), 100 * r.mismatchRate(), 100 * tolerated,
          r.passed() ? "OK" : "SKEW"));
      List<Row> rows = new ArrayList<>();
      for (VerifyResult.Mismatch m : r.mismatches().subList(0, Math.min(50, r.mismatches().size()))) {
        rows.add(RowFactory.create(m.view(), m.entity().toString(), m.feature(), m.online(), m.offline()));
      }
      if (!rows.isEmpty()) {
        out.human(TablePrinter.render(new String[] {"view", "entity", "feature", "online", "offline"}, rows));
      }
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("service", r.service());
      json.put("entities", r.entities());
      json.put("values", r.values());
      json.put("mismatches", r.mismatches().size());
      json.put("mismatch_rate", r.mismatchRate());
      json.put("passed", r.passed());
      json.put("examples", r.mismatches().stream().limit(50).map(m -> Map.of("view", m.view(), "entity", m.entity().toString(),
          "feature", m.feature(), "online", String.valueOf(m.online()), "offline", String.valueOf(m.offline()))).toList());
      out.machine(json);
      if (!r.passed()) {
        out.error("online and offline values differ for " + r.mismatches().size() + " of " + r.values() + " values (more than "
            + tolerated + " of them): training-serving skew");
        return 1;
      }
      return 0;
    }
  }
}
