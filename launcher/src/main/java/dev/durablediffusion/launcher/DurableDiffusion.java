package dev.durablediffusion.launcher;

import dev.durablediffusion.launcher.temporal.EmbeddedTemporal;
import dev.durablediffusion.launcher.temporal.LaunchSettings;
import dev.durablediffusion.launcher.temporal.TemporalStartupException;
import java.util.Arrays;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The embedded default: the Temporal CLI's dev server as a supervised child process (see {@link
 * EmbeddedTemporal}), the API, the workflow and CPU worker, and the GPU worker on the CPU device,
 * in one JVM.
 *
 * <p>{@code serve} (the default) runs the platform; {@code generate --prompt …} runs one generation
 * through the same workflow and writes its images.
 */
@SpringBootApplication
public class DurableDiffusion {

  /** What a start-up problem exits with (EX_CONFIG): the message has said what to do. */
  static final int CANNOT_START = 78;

  public static void main(String[] args) throws Exception {
    boolean generate = args.length > 0 && args[0].equals("generate");
    String[] rest =
        generate || (args.length > 0 && args[0].equals("serve"))
            ? Arrays.copyOfRange(args, 1, args.length)
            : args;
    String[] springArgs = springProperties(rest);
    LaunchSettings settings = LaunchSettings.read(springArgs);
    EmbeddedTemporal temporal;
    try {
      temporal = settings.startTemporal();
    } catch (TemporalStartupException e) {
      System.err.println("Durable Diffusion cannot start: " + e.getMessage());
      System.exit(CANNOT_START);
      return;
    }
    SpringApplication app = new SpringApplication(DurableDiffusion.class);
    app.setDefaultProperties(Map.of("spring.temporal.connection.target", temporal.target()));
    if (generate) {
      app.setWebApplicationType(WebApplicationType.NONE);
      app.setAdditionalProfiles("generate");
      int status;
      try (ConfigurableApplicationContext context = app.run(springArgs)) {
        status = context.getBean(GenerateCommand.class).run(rest);
      } finally {
        temporal.close();
      }
      System.exit(status);
    }
    // Stop the platform before its Temporal server, so running activities drain against a live one.
    app.setRegisterShutdownHook(false);
    ConfigurableApplicationContext context;
    try {
      context = app.run(rest);
    } catch (RuntimeException e) {
      temporal.close();
      throw e;
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  context.close();
                  try {
                    temporal.close();
                  } catch (Exception e) {
                    System.err.println("stopping Temporal: " + e);
                  }
                },
                "shutdown"));
    String port = context.getEnvironment().getProperty("local.server.port", "8080");
    System.out.println(
        "Durable Diffusion is running: http://127.0.0.1:"
            + port
            + "  ("
            + temporal.description()
            + "; images under "
            + settings.dataDirectory()
            + ")");
  }

  private static String[] springProperties(String[] args) {
    return Arrays.stream(args)
        .filter(a -> a.startsWith("--") && a.contains("="))
        .toArray(String[]::new);
  }
}
