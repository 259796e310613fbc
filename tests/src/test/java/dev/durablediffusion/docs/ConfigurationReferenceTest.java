package dev.durablediffusion.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durablediffusion.Repository;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/configuration.md} against the property metadata that Spring Boot's configuration
 * processor writes for every {@code @ConfigurationProperties} record: each {@code dd.*} setting the
 * code binds has a row, and each row names a setting the code binds.
 */
class ConfigurationReferenceTest {

  private static final Pattern ROW = Pattern.compile("^\\| ([^|]+) \\|", Pattern.MULTILINE);
  private static final Pattern NAME = Pattern.compile("`(dd\\.[a-z0-9.\\-]+)(\\.<[a-z]+>)?`");

  @Test
  void everyBoundSettingHasARowAndEveryRowABoundSetting() throws IOException {
    Map<String, String> bound = boundSettings();
    Set<String> documented = documentedSettings();

    assertThat(bound.keySet())
        .as("prefixes in the metadata")
        .anyMatch(n -> n.startsWith("dd.api."))
        .anyMatch(n -> n.startsWith("dd.storage."))
        .anyMatch(n -> n.startsWith("dd.cpu."))
        .anyMatch(n -> n.startsWith("dd.gpu."))
        .anyMatch(n -> n.startsWith("dd.webhooks."))
        .anyMatch(n -> n.startsWith("dd.models."))
        .anyMatch(n -> n.startsWith("dd.temporal."));
    assertThat(bound.keySet()).as("settings without a row").isSubsetOf(documented);
    assertThat(documented).as("rows naming no setting").isSubsetOf(bound.keySet());
  }

  /** Every {@code dd.*} property of the metadata on the classpath, with its type. */
  private static Map<String, String> boundSettings() throws IOException {
    ObjectMapper json = new ObjectMapper();
    Map<String, String> settings = new TreeMap<>();
    for (URL metadata :
        Collections.list(
            ConfigurationReferenceTest.class
                .getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"))) {
      try (InputStream in = metadata.openStream()) {
        for (JsonNode property : json.readTree(in).path("properties")) {
          String name = property.get("name").asText();
          if (name.startsWith("dd.")) {
            settings.put(name, property.path("type").asText());
          }
        }
      }
    }
    return settings;
  }

  /** The settings named in the first cell of the reference's table rows; {@code x.<key>} is x. */
  private static Set<String> documentedSettings() throws IOException {
    String reference =
        Files.readString(Repository.root().resolve("docs/configuration.md"));
    Set<String> names = new TreeSet<>();
    Matcher row = ROW.matcher(reference);
    while (row.find()) {
      Matcher name = NAME.matcher(row.group(1));
      while (name.find()) {
        names.add(name.group(1));
      }
    }
    return names;
  }
}
