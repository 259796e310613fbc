package dev.durablediffusion.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The browser UI in headless Chromium, as a person uses it. Screenshots are kept in {@code
 * tests/target/browser-ui/}.
 */
class BrowserUiTest {

  private static final Duration WAIT = Duration.ofMinutes(2);
  private static final Path SCREENSHOTS = Path.of("target", "browser-ui");

  @TempDir static Path data;
  @TempDir static Path browserHome;
  private static TemporalServerProcess temporal;
  private static InProcessPlatform platform;
  private static HeadlessChromium browser;

  @BeforeAll
  static void start() throws Exception {
    temporal = new TemporalServerProcess();
    platform = new InProcessPlatform(temporal, data, Map.of("dd.api.keys", "ui:key-ui"));
    browser = HeadlessChromium.launch(browserHome.resolve("profile"));
    Files.createDirectories(SCREENSHOTS);
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.close();
    }
    platform.close();
    temporal.close();
  }

  @Test
  void aPersonSubmitsWatchesProgressSeesTheImagesAndOpensTheirProvenance() throws Exception {
    signIn("key-ui");
    browser.evaluate(
        """
        (() => {
          document.getElementById('prompt').value = 'a yellow triangle on a purple background';
          document.getElementById('steps').value = '40';
          document.getElementById('num-images').value = '2';
          document.getElementById('seed').value = '5';
          document.getElementById('generation-form').requestSubmit();
        })()""");

    browser.await(() -> text("current-status").equals("succeeded"), WAIT);
    browser.await(
        () ->
            browser
                    .evaluate(
                        "[...document.querySelectorAll('#current-outputs img')]"
                            + ".filter(i => i.complete && i.naturalWidth === 64).length")
                    .asInt()
                == 2,
        WAIT);
    String log = text("event-log");
    assertThat(log).contains("status: denoising", "step ", "end: succeeded");
    Files.write(SCREENSHOTS.resolve("generation.png"), screenshot());

    String id = text("current-id");
    browser.await(
        () ->
            browser
                .evaluate("!!document.querySelector('.card[data-id=\"" + id + "\"] img')")
                .asBoolean(),
        WAIT);
    browser.evaluate("document.querySelector('.card[data-id=\"" + id + "\"]').click()");
    browser.await(
        () -> browser.evaluate("document.getElementById('details').open").asBoolean(), WAIT);
    assertThat(text("details-json"))
        .contains("a yellow triangle on a purple background", "model_digest", "\"seed\": 5");
    Files.write(SCREENSHOTS.resolve("provenance.png"), screenshot());
  }

  @Test
  void aPersonCancelsARunningGeneration() throws Exception {
    signIn("key-ui");
    browser.evaluate(
        """
        (() => {
          document.getElementById('steps').value = '150';
          document.getElementById('num-images').value = '4';
          document.getElementById('generation-form').requestSubmit();
        })()""");
    browser.await(() -> text("event-log").contains("step "), WAIT);

    browser.evaluate("document.getElementById('cancel').click()");

    browser.await(() -> text("current-status").equals("canceled"), WAIT);
    assertThat(browser.evaluate("document.querySelectorAll('#current-outputs img').length").asInt())
        .isZero();
  }

  @Test
  void aWrongKeyShowsTheProblem() throws Exception {
    signIn("not-a-key");

    browser.await(
        () -> !browser.evaluate("document.getElementById('error').hidden").asBoolean(), WAIT);
    assertThat(text("error")).startsWith("401");
  }

  private static void signIn(String key) throws InterruptedException {
    browser.navigate("http://127.0.0.1:" + platform.port() + "/");
    browser.evaluate("sessionStorage.clear(); delete document.body.dataset.ready");
    browser.evaluate(
        "document.getElementById('api-key').value = '"
            + key
            + "'; document.getElementById('key-form').requestSubmit()");
    if (!key.startsWith("not")) {
      browser.await(
          () -> "true".equals(browser.evaluate("document.body.dataset.ready || ''").asText()),
          WAIT);
    }
  }

  private static String text(String elementId) {
    return browser.evaluate("document.getElementById('" + elementId + "').textContent").asText();
  }

  private static byte[] screenshot() {
    byte[] png = browser.screenshot();
    assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
    return png;
  }
}
