package dev.durablediffusion.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What this module holds runs inside workflow tasks or is exchanged with them, so its sources may
 * reach neither I/O, clocks, randomness and threads outside Temporal's APIs, nor the code that
 * builds workers, clients or Spring beans.
 */
class WorkflowsBoundaryTest {

  private static final Path SOURCES = Path.of("src/main/java");

  private static final Pattern FORBIDDEN =
      Pattern.compile(
          "^import (java\\.io\\.|java\\.nio\\.|java\\.net\\.(?!URI;|URISyntaxException;)"
              + "|java\\.util\\.concurrent|java\\.time\\.(Clock|Instant)"
              + "|io\\.temporal\\.(client|worker|serviceclient)\\.|org\\.springframework\\."
              + "|io\\.micrometer\\.|org\\.slf4j\\.)"
              + "|\\b(System\\.(currentTimeMillis|nanoTime)|new Thread|new Random|Thread\\.sleep"
              + "|UUID\\.randomUUID|Math\\.random|Instant\\.now)\\b",
          Pattern.MULTILINE);

  @Test
  void noSourceOfTheModuleReachesIoClocksRandomnessThreadsOrWorkers() throws IOException {
    List<Path> sources = sources();
    assertThat(sources).hasSizeGreaterThan(20);
    for (Path source : sources) {
      assertThat(FORBIDDEN.matcher(Files.readString(source)).results().map(r -> r.group()))
          .as(source.toString())
          .isEmpty();
    }
  }

  @Test
  void theRuleCatchesWhatItForbids() {
    assertThat(FORBIDDEN.matcher("import io.temporal.worker.WorkerFactory;").find()).isTrue();
    assertThat(FORBIDDEN.matcher("import java.net.InetAddress;").find()).isTrue();
    assertThat(FORBIDDEN.matcher("long now = System.currentTimeMillis();").find()).isTrue();
    assertThat(FORBIDDEN.matcher("import java.net.URI;").find()).isFalse();
    assertThat(FORBIDDEN.matcher("long now = Workflow.currentTimeMillis();").find()).isFalse();
    assertThat(FORBIDDEN.matcher("Random dice = new Random();").find()).isTrue();
    assertThat(FORBIDDEN.matcher("Random jitter = Workflow.newRandom();").find()).isFalse();
  }

  private static List<Path> sources() throws IOException {
    try (Stream<Path> files = Files.walk(SOURCES)) {
      return files.filter(f -> f.toString().endsWith(".java")).toList();
    }
  }
}
