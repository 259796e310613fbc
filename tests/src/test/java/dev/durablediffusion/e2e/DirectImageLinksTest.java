package dev.durablediffusion.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With {@code dd.api.image-links=storage} on Azure Blob, image links go straight to the blob. */
class DirectImageLinksTest {

  @RegisterExtension
  static final RunningPlatform platform =
      RunningPlatform.onAzurite(
          Map.of(
              "dd.api.keys", "a:key-a",
              "dd.api.image-links", "storage",
              "dd.api.image-url-lifetime", "10m"));

  @Test
  void outputLinksAreReadOnlySasUrlsOfTheBlobsThatServeThePngs() throws Exception {
    ApiClient api = new ApiClient(platform.port(), "key-a");
    String id = api.submit("{\"prompt\": \"a red circle\", \"steps\": 2, \"num_images\": 2}");
    JsonNode done = api.awaitEnd(id, Duration.ofMinutes(2));

    assertThat(done.get("status").asText()).isEqualTo("succeeded");
    String blobs = platform.azurite().blobEndpoint();
    HttpClient anonymous = HttpClient.newHttpClient();
    for (int i = 0; i < 2; i++) {
      URI link = URI.create(done.get("outputs").get(i).get("url").asText());
      assertThat(link.toString())
          .startsWith(blobs + "/outputs/a/" + id + "/image-" + i + ".png?");
      assertThat(link.getQuery()).contains("sp=r");
      HttpResponse<byte[]> png =
          anonymous.send(
              HttpRequest.newBuilder(link).build(), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(png.statusCode()).isEqualTo(200);
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(png.body()));
      assertThat(image.getWidth()).isEqualTo(64);
    }
    JsonNode listed = api.get("/v1/generations?limit=1").json();
    assertThat(listed.get("data").get(0).get("outputs").get(0).get("url").asText())
        .startsWith(blobs);
  }
}
