package dev.durablediffusion.e2e;

import dev.durablediffusion.cpu.webhook.WebhookSigner;
import java.nio.file.Path;

/**
 * A Temporal dev server, the launcher's application on it and a loopback webhook receiver, for a
 * test of one generation's way to its webhook: tenant {@code a} ({@code key-a}) with a signing
 * secret of its own.
 */
final class WebhookPlatform implements AutoCloseable {

  private final HookReceiver receiver = new HookReceiver();
  private final TemporalServerProcess temporal;
  private final InProcessPlatform platform;

  /**
   * @param extraSources configuration classes added to the launcher's, for beans only a test wants
   */
  WebhookPlatform(Path data, Class<?>... extraSources) {
    try {
      temporal = new TemporalServerProcess();
    } catch (RuntimeException e) {
      receiver.close();
      throw e;
    }
    try {
      platform =
          new InProcessPlatform(
              temporal, data, LoopbackWebhooks.tenantA(WebhookSigner.newSecret()), extraSources);
    } catch (RuntimeException e) {
      temporal.close();
      receiver.close();
      throw e;
    }
  }

  int port() {
    return platform.port();
  }

  ApiClient tenantA() {
    return new ApiClient(port(), "key-a");
  }

  HookReceiver receiver() {
    return receiver;
  }

  @Override
  public void close() {
    try {
      platform.close();
    } finally {
      try {
        temporal.close();
      } finally {
        receiver.close();
      }
    }
  }
}
