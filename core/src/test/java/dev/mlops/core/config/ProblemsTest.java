package dev.mlops.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProblemsTest {
  @Test
  void noProblemThrowsNothingOneIsItsLineAndSeveralAreCountedOnePerLine() {
    Problems problems = new Problems("conf/x.yaml");
    problems.throwIfAny();
    assertThat(problems.isEmpty()).isTrue();
    assertThatThrownBy(problems::exception).isInstanceOf(IllegalStateException.class);

    problems.add("conf/x.yaml: a.b", "is required");
    assertThatThrownBy(problems::throwIfAny).isInstanceOf(ConfigException.class)
        .hasMessage("conf/x.yaml: a.b: is required");

    problems.add(new ConfigException("conf/x.yaml: c[0]: expected a number, got \"x\""));
    problems.add("conf/x.yaml: a.b", "is required");
    assertThatThrownBy(problems::throwIfAny).as("the same problem twice is reported once")
        .hasMessage("conf/x.yaml has 2 problems:\n  conf/x.yaml: a.b: is required\n"
            + "  conf/x.yaml: c[0]: expected a number, got \"x\"");
  }
}
