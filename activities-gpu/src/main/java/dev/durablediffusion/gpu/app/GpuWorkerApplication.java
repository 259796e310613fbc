package dev.durablediffusion.gpu.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The GPU worker as its own process. Configured by {@code gpu-worker.yml} and the environment (see
 * docs/configuration.md).
 */
@SpringBootApplication
public class GpuWorkerApplication {

  public static void main(String[] args) {
    SpringApplication app = new SpringApplication(GpuWorkerApplication.class);
    app.setDefaultProperties(java.util.Map.of("spring.config.name", "gpu-worker"));
    app.run(args);
  }
}
