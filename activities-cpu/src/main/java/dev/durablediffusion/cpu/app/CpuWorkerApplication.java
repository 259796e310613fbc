package dev.durablediffusion.cpu.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The workflow worker and CPU activities as their own process. Configured by {@code cpu-worker.yml}
 * and the environment (see docs/configuration.md).
 */
@SpringBootApplication
public class CpuWorkerApplication {

  public static void main(String[] args) {
    SpringApplication app = new SpringApplication(CpuWorkerApplication.class);
    app.setDefaultProperties(java.util.Map.of("spring.config.name", "cpu-worker"));
    app.run(args);
  }
}
