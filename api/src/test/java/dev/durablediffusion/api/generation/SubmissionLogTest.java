package dev.durablediffusion.api.generation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SubmissionLogTest {

  @Test
  void redactedPromptsShowOnlyTheirLength() {
    SubmissionLog log = new SubmissionLog(SubmissionLog.Prompts.REDACTED);

    assertThat(log.shown("a secret product launch")).isEqualTo("[redacted, 23 chars]");
    assertThat(log.shown(null)).isEqualTo("none");
  }

  @Test
  void fullPromptsAreQuotedWithLineBreaksEscapedSoTheyCannotForgeLogLines() {
    SubmissionLog log = new SubmissionLog(SubmissionLog.Prompts.FULL);

    assertThat(log.shown("a cat\nINFO forged line\r\\n"))
        .isEqualTo("\"a cat\\nINFO forged line\\r\\\\n\"")
        .doesNotContain("\n", "\r");
  }
}
