package dev.mlops.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.testkit.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs the Airflow DAG files' Python tests ({@code dags/tests}) after {@code package}, so that
 * {@code mvn verify} covers them: the DAGs against the pipeline definitions, every task's
 * {@code java_class} against the job jar just built ({@code MLOPS_JOB_JAR}), and, once the CLI has
 * it, {@code mlops pipeline check} on every step ({@code bin/mlops} without building).
 *
 * <p>The interpreter: {@code $MLOPS_PYTHON}, else {@code python3} on the {@code PATH}, else
 * {@code /usr/bin/python3}; the first that can import PyYAML (Airflow's own dependency, which the
 * DAG files use). Without one the test fails and says so.
 */
class DagFilesIT {
  @Test
  void dagTestsPassAgainstTheBuiltJobJar() throws Exception {
    Path jar = ItSupport.TARGET.resolve("mlops-spark-job.jar");
    assertThat(jar).as("the job jar, built by package before the integration tests").isRegularFile();
    String python = pythonWithPyYaml();

    ProcessRunner.Result r = ProcessRunner.of(List.of(python, "-m", "unittest", "discover", "-s", "dags/tests", "-v"))
        .in(ItSupport.REPO)
        .env("MLOPS_JOB_JAR", jar.toString())
        .env("MLOPS_NO_BUILD", "1")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .timeout(Duration.ofMinutes(5))
        .run();
    // unittest reports on stderr: keep it in this test's output file.
    System.out.println(r.stderr());

    assertThat(r.exitCode()).as("python3 -m unittest discover -s dags/tests failed:%n%s%s", r.stdout(), r.stderr())
        .isZero();
    Matcher ran = Pattern.compile("Ran (\\d+) tests?").matcher(r.stderr());
    assertThat(ran.find()).as("unittest's summary line in:%n%s", r.stderr()).isTrue();
    assertThat(Integer.parseInt(ran.group(1))).as("tests discovered in dags/tests").isGreaterThanOrEqualTo(30);
    assertThat(r.stderr()).as("the job jar test must run, not be skipped")
        .contains("test_every_java_class_is_in_the_job_jar")
        .doesNotContain("test_every_java_class_is_in_the_job_jar (test_job_jar.JobJarTest"
            + ".test_every_java_class_is_in_the_job_jar) ... skipped");
  }

  /** The first interpreter that imports PyYAML, or a failure naming those tried. */
  static String pythonWithPyYaml() {
    List<String> candidates = new ArrayList<>();
    String configured = System.getenv("MLOPS_PYTHON");
    if (configured != null && !configured.isBlank()) {
      candidates.add(configured);
    }
    candidates.add("python3");
    if (Files.isExecutable(Path.of("/usr/bin/python3"))) {
      candidates.add("/usr/bin/python3");
    }
    List<String> tried = new ArrayList<>();
    for (String python : candidates) {
      try {
        ProcessRunner.Result r = ProcessRunner.of(List.of(python, "-c", "import yaml")).timeout(Duration.ofSeconds(60)).run();
        if (r.exitCode() == 0) {
          return python;
        }
        tried.add(python + " (" + r.stderr().strip().lines().reduce((a, b) -> b).orElse("exit " + r.exitCode()) + ")");
      } catch (RuntimeException e) {
        tried.add(python + " (" + e.getMessage() + ")");
      }
    }
    throw new AssertionError("Cannot run the DAG tests: no Python 3 with PyYAML; tried " + String.join(", ", tried)
        + ". Install PyYAML (pip install pyyaml, or apt-get install python3-yaml), or set MLOPS_PYTHON to an"
        + " interpreter that has it.");
  }
}
