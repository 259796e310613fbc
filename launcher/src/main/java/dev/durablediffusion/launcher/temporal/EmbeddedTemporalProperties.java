package dev.durablediffusion.launcher.temporal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Temporal server of the embedded default, read before the application starts (the launcher
 * starts the server first, and stops it after the workers have drained).
 *
 * @param server which server the launcher runs: the Temporal CLI's dev server, Temporal's in-memory
 *     test server (explicit, nothing survives a restart), or none (a server elsewhere, as {@code
 *     spring.temporal.connection.target} names)
 * @param cli the {@code temporal} binary; unset, it is looked up as docs/configuration.md says
 * @param ip the address the server listens on
 * @param port its gRPC port
 * @param uiPort its Web UI's port; 0 runs it headless
 * @param database its SQLite file; unset, {@code temporal/temporal.db} in the data directory
 * @param retention how long the server keeps a closed workflow's history (finished generations
 *     stay readable from storage after that)
 * @param startupTimeout how long the server may take to answer after its start
 * @param dynamicConfig dev server dynamic configuration by key (values in JSON), over the
 *     platform's defaults; keys are case-sensitive, so name them in brackets: {@code
 *     dd.temporal.dynamic-config[history.transferProcessorMaxPollRPS]=20}
 */
@ConfigurationProperties("dd.temporal")
public record EmbeddedTemporalProperties(
    @DefaultValue("dev-server") Server server,
    Path cli,
    @DefaultValue("127.0.0.1") String ip,
    @DefaultValue("7233") int port,
    @DefaultValue("8233") int uiPort,
    Path database,
    @DefaultValue("24h") Duration retention,
    @DefaultValue("60s") Duration startupTimeout,
    Map<String, String> dynamicConfig) {

  public EmbeddedTemporalProperties {
    dynamicConfig = dynamicConfig == null ? Map.of() : Map.copyOf(dynamicConfig);
  }

  /** The server the launcher runs beside the platform. */
  public enum Server {
    DEV_SERVER,
    IN_MEMORY,
    NONE
  }

  public String target() {
    return ip + ":" + port;
  }

  /** The SQLite file: the configured one, else under the data directory. */
  public Path databaseIn(Path dataDirectory) {
    return database != null ? database : dataDirectory.resolve("temporal").resolve("temporal.db");
  }
}
