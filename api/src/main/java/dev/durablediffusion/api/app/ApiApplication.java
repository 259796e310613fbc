package dev.durablediffusion.api.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The public API as its own process. Configured by {@code api.yml} and the environment (see
 * docs/configuration.md).
 */
@SpringBootApplication
public class ApiApplication {

  public static void main(String[] args) {
    SpringApplication app = new SpringApplication(ApiApplication.class);
    app.setDefaultProperties(java.util.Map.of("spring.config.name", "api"));
    app.run(args);
  }
}
