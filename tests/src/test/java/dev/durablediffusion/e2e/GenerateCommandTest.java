package dev.durablediffusion.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durablediffusion.launcher.DurableDiffusion;
import dev.durablediffusion.testing.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code generate}: one generation through the same workflow, from the command line. */
class GenerateCommandTest {

  @TempDir Path dir;

  @Test
  void writesTheImagesAndPrintsTheirIdSeedsAndTimingsAsJson() throws Exception {
    Path out = dir.resolve("out");
    ChildJvm cli =
        ChildJvm.start(
            "generate",
            dir,
            DurableDiffusion.class,
            List.of(
                "generate",
                "--prompt",
                "a blue square on a white background",
                "--seed",
                "3",
                "--sampler",
                "ddim",
                "--eta",
                "0.5",
                "--num-images",
                "2",
                "--upscale",
                "2",
                "--out",
                out.toString(),
                "--dd.storage.filesystem.root=" + dir.resolve("data"),
                "--dd.temporal.port=" + Ports.free(),
                "--dd.temporal.ui-port=0",
                "--dd.gpu.model-cache-directory=" + dir.resolve("cache")));
    int exit = cli.awaitExit(Duration.ofMinutes(3));

    String json =
        cli.logLines().stream().filter(l -> l.startsWith("{\"id\"")).findFirst().orElse("");
    assertThat(exit).as(String.join("\n", cli.logLines())).isZero();
    JsonNode result = new ObjectMapper().readTree(json);
    assertThat(result.get("seed").asLong()).isEqualTo(3);
    assertThat(result.get("sampler").asText()).isEqualTo("ddim");
    assertThat(result.get("eta").asDouble()).isEqualTo(0.5);
    assertThat(result.get("outputs")).hasSize(2);
    assertThat(result.get("outputs").get(1).get("seed").asLong()).isEqualTo(4);
    assertThat(result.get("outputs").get(0).get("width").asInt()).isEqualTo(128);
    assertThat(Files.size(Path.of(result.get("outputs").get(0).get("path").asText()))).isPositive();
    assertThat(result.get("timings_ms").get("total").asLong()).isPositive();
  }
}
