package dev.durablediffusion.config;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/** One process's configuration file ({@code spring.config.name}) loaded without its beans. */
final class ProcessConfigs {

  private ProcessConfigs() {}

  static ConfigurableApplicationContext load(String configName, String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "--spring.config.name=" + configName;
    System.arraycopy(args, 0, all, 1, args.length);
    return new SpringApplicationBuilder(NoBeans.class)
        .web(WebApplicationType.NONE)
        .logStartupInfo(false)
        .run(all);
  }

  @Configuration(proxyBeanMethods = false)
  static class NoBeans {}
}
