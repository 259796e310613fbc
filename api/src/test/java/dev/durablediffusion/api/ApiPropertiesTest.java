package dev.durablediffusion.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class ApiPropertiesTest {

  private static final String KEY = "dd_live_9f8e7d6c5b4a39281706f5e4d3c2b1a0";
  private static final String SIGNING_KEY = "c2lnbmluZy1rZXktb2YtYXQtbGVhc3QtMzItYnl0ZXMhIQ==";

  @Test
  void printsEverySettingButTheSecrets() {
    ApiProperties properties =
        bind(
            Map.of(
                "dd.api.keys", "tenant-a:" + KEY + ",tenant-b:other-" + KEY,
                "dd.api.url-signing-key", SIGNING_KEY,
                "dd.api.max-event-streams", "7"));

    assertThat(properties.toString())
        .doesNotContain(KEY)
        .doesNotContain(SIGNING_KEY)
        .contains("keys=2 set", "urlSigningKey=set", "maxEventStreams=7", "maxInFlight=100");
  }

  @Test
  void saysWhenNoSecretIsSet() {
    assertThat(bind(Map.of()).toString()).contains("keys=none", "urlSigningKey=none");
  }

  private static ApiProperties bind(Map<String, String> configuration) {
    return new Binder(new MapConfigurationPropertySource(configuration))
        .bindOrCreate("dd.api", Bindable.of(ApiProperties.class));
  }
}
