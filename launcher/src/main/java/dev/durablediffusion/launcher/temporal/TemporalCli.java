package dev.durablediffusion.launcher.temporal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The Temporal CLI binary this build runs, at the version pinned in the build ({@code
 * temporal-cli.version}), looked up in this order:
 *
 * <ol>
 *   <li>the {@code dd.temporal.cli} setting;
 *   <li>{@code $DD_TOOLS_HOME/temporal-cli/v<version>/temporal}, where {@code tools/temporal-cli.sh}
 *       installs it ({@code DD_TOOLS_HOME} defaults to {@code ~/.cache/durable-diffusion});
 *   <li>{@code temporal-cli/v<version>/temporal} beside the launcher's jar, for a copied install.
 * </ol>
 *
 * A {@code temporal} on the PATH is not taken: its version is unknown, and a database file is
 * only readable by the CLI version that wrote it.
 */
public record TemporalCli(Path binary, String version) {

  /** The version this build was made with. */
  public static String pinnedVersion() {
    try (InputStream in = TemporalCli.class.getResourceAsStream("/temporal-cli.properties")) {
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * @param configured the {@code dd.temporal.cli} setting, or null
   * @param environment the process environment (for {@code DD_TOOLS_HOME} and {@code HOME})
   * @param jarDirectory the folder of the launcher's jar, if it runs from one
   * @throws TemporalStartupException naming every place it looked and how to build the binary
   */
  public static TemporalCli locate(
      Path configured, Map<String, String> environment, Optional<Path> jarDirectory) {
    String version = pinnedVersion();
    if (configured != null) {
      if (Files.isExecutable(configured)) {
        return new TemporalCli(configured, version);
      }
      throw new TemporalStartupException(
          "dd.temporal.cli names "
              + configured
              + ", which is not an executable file: point it at a Temporal CLI v"
              + version
              + " binary, or unset it and run tools/temporal-cli.sh");
    }
    List<Path> candidates = new ArrayList<>();
    String toolsHome = environment.get("DD_TOOLS_HOME");
    if (toolsHome != null && !toolsHome.isBlank()) {
      candidates.add(Path.of(toolsHome));
    } else if (environment.containsKey("HOME")) {
      candidates.add(Path.of(environment.get("HOME"), ".cache", "durable-diffusion"));
    }
    jarDirectory.ifPresent(candidates::add);
    List<Path> binaries =
        candidates.stream()
            .map(home -> home.resolve("temporal-cli").resolve("v" + version).resolve("temporal"))
            .toList();
    return binaries.stream()
        .filter(Files::isExecutable)
        .findFirst()
        .map(binary -> new TemporalCli(binary, version))
        .orElseThrow(
            () ->
                new TemporalStartupException(
                    "no Temporal CLI v"
                        + version
                        + " found (looked at "
                        + binaries
                        + "): run tools/temporal-cli.sh to build it (Go needed once), or set"
                        + " dd.temporal.cli to its path"));
  }
}
