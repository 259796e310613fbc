package dev.durablediffusion.launcher;

import io.temporal.testserver.TestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The embedded default: Temporal's test server (port-bound, so another JVM's worker can join), the
 * API, the workflow and CPU worker, and the GPU worker on the CPU device, in one JVM.
 *
 * <p>{@code serve} (the default) runs the platform; {@code generate --prompt …} runs one generation
 * through the same workflow and writes its images.
 */
@SpringBootApplication
public class DurableDiffusion {

  public static void main(String[] args) throws Exception {
    boolean generate = args.length > 0 && args[0].equals("generate");
    String[] rest =
        generate || (args.length > 0 && args[0].equals("serve"))
            ? Arrays.copyOfRange(args, 1, args.length)
            : args;
    int temporalPort =
        generate ? freePort() : Integer.parseInt(System.getProperty("dd.temporal.port", "7233"));
    TestServer.PortBoundTestServer temporal = TestServer.createPortBoundServer(temporalPort);
    SpringApplication app = new SpringApplication(DurableDiffusion.class);
    app.setDefaultProperties(
        Map.of("spring.temporal.connection.target", "127.0.0.1:" + temporalPort));
    if (generate) {
      app.setWebApplicationType(WebApplicationType.NONE);
      app.setAdditionalProfiles("generate");
      int status;
      try (ConfigurableApplicationContext context = app.run(springProperties(rest))) {
        status = context.getBean(GenerateCommand.class).run(rest);
      } finally {
        temporal.close();
      }
      System.exit(status);
    }
    // Stop the platform before its Temporal server, so running activities drain against a live one.
    app.setRegisterShutdownHook(false);
    ConfigurableApplicationContext context = app.run(rest);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  context.close();
                  temporal.close();
                },
                "shutdown"));
    String port = context.getEnvironment().getProperty("local.server.port", "8080");
    System.out.println(
        "Durable Diffusion is running: http://127.0.0.1:"
            + port
            + "  (Temporal test server on 127.0.0.1:"
            + temporalPort
            + ", images under "
            + context.getEnvironment().getProperty("dd.storage.filesystem.root", "./data")
            + ")");
  }

  private static String[] springProperties(String[] args) {
    return Arrays.stream(args)
        .filter(a -> a.startsWith("--") && a.contains("="))
        .toArray(String[]::new);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
