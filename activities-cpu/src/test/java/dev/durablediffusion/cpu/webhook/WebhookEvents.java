package dev.durablediffusion.cpu.webhook;

import dev.durablediffusion.workflows.generation.GenerationPlan;
import dev.durablediffusion.workflows.generation.GenerationState;
import dev.durablediffusion.workflows.generation.GenerationStatus;
import dev.durablediffusion.workflows.generation.ImageRef;
import dev.durablediffusion.workflows.generation.Progress;
import dev.durablediffusion.workflows.generation.StageSettings;
import dev.durablediffusion.workflows.generation.UpscaleSpec;
import dev.durablediffusion.workflows.generation.WebhookSpec;
import dev.durablediffusion.workflows.webhook.WebhookEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Webhook events as the generation workflow raises them. */
final class WebhookEvents {

  static final String TENANT = "tenant-a";
  static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private WebhookEvents() {}

  static WebhookEvent completed(String url) {
    return completed(url, Map.of("total", 9_000L, "denoise", 7_000L, "activities", 8_500L));
  }

  static WebhookEvent completed(String url, Map<String, Long> timingsMillis) {
    long createdAt = NOW.minusSeconds(60).toEpochMilli();
    GenerationPlan plan =
        new GenerationPlan(
            "gen-1",
            TENANT,
            "a lighthouse at dusk",
            "",
            "sd-tiny",
            512,
            512,
            20,
            7.5,
            "euler",
            0,
            42L,
            1,
            new UpscaleSpec(2, UpscaleSpec.LANCZOS),
            new WebhookSpec(url, List.of()),
            "interactive",
            Map.of("order", "A-17"),
            null,
            0.75,
            new StageSettings(
                "gpu-interactive",
                Duration.ofMinutes(2),
                Duration.ofSeconds(30),
                List.of(Duration.ZERO, Duration.ofSeconds(5)),
                0));
    GenerationStatus generation =
        new GenerationStatus(
            "gen-1",
            TENANT,
            GenerationState.SUCCEEDED,
            new Progress(20, 20, 7_000, 0, null),
            plan,
            List.of(new ImageRef("outputs/tenant-a/gen-1/0.png", 1024, 1024, 42L, "ab12")),
            null,
            new LinkedHashMap<>(timingsMillis),
            false,
            false,
            "sha256:feed",
            "gpu-host-a",
            List.of("gpu-host-a"),
            null,
            createdAt,
            createdAt + 9_000,
            7);
    return new WebhookEvent(
        "msg_gen-1_completed",
        TENANT,
        url,
        "generation.completed",
        createdAt,
        generation,
        List.of(Duration.ZERO, Duration.ofSeconds(5)));
  }
}
