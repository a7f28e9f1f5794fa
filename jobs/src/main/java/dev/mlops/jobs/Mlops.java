package dev.mlops.jobs;

import dev.mlops.jobs.cli.MlopsCommand;

/**
 * The entry point of {@code bin/mlops} and of {@code spark-submit --class dev.mlops.jobs.Mlops
 * mlops-spark-job.jar <subcommand> ...}. Exits non-zero when the command fails.
 */
public final class Mlops {
  private Mlops() {}

  public static void main(String[] args) {
    int code = MlopsCommand.execute(args);
    System.exit(code);
  }
}
