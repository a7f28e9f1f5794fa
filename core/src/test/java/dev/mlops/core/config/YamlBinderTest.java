package dev.mlops.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class YamlBinderTest {
  /** A record to bind into. */
  record Job(String name, String query, int retries) {}

  @Test
  void aResolvedTextReadsBackAsItWasWhateverTheEnvironmentIsThen() {
    String text = "name: ${JOB:-nightly}\nquery: |\n  SELECT * FROM t\n  WHERE x < ${LIMIT}\n  AND note = '$${literal}'\nretries: 3\n";
    YamlBinder then = new YamlBinder(Map.of("LIMIT", "7")::get);
    String resolved = then.resolve(text, "job.yaml");

    Job read = YamlBinder.parseResolved(resolved, "job.yaml", Job.class);
    assertThat(read).as("bound with the values of the environment it was resolved in")
        .isEqualTo(then.parse(text, "job.yaml", Job.class));
    assertThat(read.query()).as("an escaped ${ stays literal text, and is not substituted again")
        .isEqualTo("SELECT * FROM t\nWHERE x < 7\nAND note = '${literal}'\n");
    assertThat(resolved).as("multi-line text stays a readable block").contains("WHERE x < 7\n");
  }
}
