package dev.durablediffusion.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durablediffusion.launcher.DurableDiffusion;
import dev.durablediffusion.testing.Ports;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the embedded default says when its Temporal server cannot be had: one line naming the fix,
 * exit code 78, no stack trace, and nothing started.
 */
class LauncherStartupErrorsTest {

  @TempDir Path dir;

  @Test
  void aConfiguredCliThatIsNotThereIsNamed() throws Exception {
    ChildJvm launcher = launch(List.of("--dd.temporal.cli=" + dir.resolve("no-such-temporal")));

    assertRefused(launcher, "dd.temporal.cli names " + dir.resolve("no-such-temporal"));
  }

  @Test
  void aMissingCliSaysHowToBuildIt() throws Exception {
    Path emptyTools = Files.createDirectories(dir.resolve("tools-home"));
    ChildJvm launcher = launch(List.of(), Map.of("DD_TOOLS_HOME", emptyTools.toString()));

    assertRefused(launcher, "run tools/temporal-cli.sh to build it");
  }

  @Test
  void aPortHeldBySomethingElseIsNamed() throws Exception {
    try (ServerSocket squatter = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      ChildJvm launcher = launch(List.of("--dd.temporal.port=" + squatter.getLocalPort()));

      assertRefused(
          launcher,
          "port " + squatter.getLocalPort() + " on 127.0.0.1 is held by something that is not a"
              + " Temporal server");
    }
  }

  @Test
  void aDatabaseWrittenByAnotherCliVersionIsRefusedBeforeTheServerTouchesIt() throws Exception {
    Path database = Files.createDirectories(dir.resolve("data/temporal")).resolve("temporal.db");
    Files.writeString(database, "written by another version");
    Files.writeString(database.resolveSibling("temporal.db.cli-version"), "1.4.0\n");

    ChildJvm launcher = launch(List.of());

    assertRefused(launcher, "was written by Temporal CLI v1.4.0");
    assertThat(Files.readString(database)).isEqualTo("written by another version");
  }

  private ChildJvm launch(List<String> args) {
    return launch(args, Map.of());
  }

  private ChildJvm launch(List<String> args, Map<String, String> environment) {
    List<String> all = new ArrayList<>(args);
    all.add("--dd.storage.filesystem.root=" + dir.resolve("data"));
    all.add("--server.port=" + Ports.free());
    if (args.stream().noneMatch(a -> a.startsWith("--dd.temporal.port="))) {
      all.add("--dd.temporal.port=" + Ports.free());
    }
    all.add("--dd.temporal.ui-port=0");
    return ChildJvm.start("launcher", dir.resolve("logs"), DurableDiffusion.class, all, environment);
  }

  private static void assertRefused(ChildJvm launcher, String reason) throws InterruptedException {
    int exit = launcher.awaitExit(Duration.ofMinutes(1));
    String output = String.join("\n", launcher.logLines());

    assertThat(exit).as(output).isEqualTo(78);
    assertThat(output).contains("Durable Diffusion cannot start: ").contains(reason);
    assertThat(output).doesNotContain("\tat ").doesNotContain("Started DurableDiffusion");
  }
}
