package dev.durablediffusion.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durablediffusion.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Each image builds its module with {@code -am} from a context its {@code .dockerignore} narrows
 * down: every module such a build may need has to be let through, or the image build fails.
 */
class DockerBuildContextTest {

  private static final Path ROOT = Repository.root();
  private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
  private static final List<String> NOT_IN_IMAGES = List.of("launcher", "tests");

  @Test
  void everyImageBuildContextHoldsEveryModuleAnImageCanDependOn() throws IOException {
    List<String> modules = modules();
    List<Path> ignoreFiles;
    try (Stream<Path> files = Files.walk(ROOT.resolve("deploy/docker"))) {
      ignoreFiles =
          files.filter(f -> f.getFileName().toString().endsWith(".dockerignore")).toList();
    }

    assertThat(modules).contains("model", "engine", "telemetry");
    assertThat(ignoreFiles).hasSize(3);
    for (Path ignore : ignoreFiles) {
      List<String> lines = Files.readAllLines(ignore);
      assertThat(modules)
          .filteredOn(m -> !NOT_IN_IMAGES.contains(m))
          .as(ignore.toString())
          .allSatisfy(m -> assertThat(lines).contains("!" + m + "/**"));
    }
  }

  private static List<String> modules() throws IOException {
    Matcher modules = MODULE.matcher(Files.readString(ROOT.resolve("pom.xml")));
    return modules.results().map(r -> r.group(1)).toList();
  }
}
