package dev.durablediffusion.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ObjectRefTest {

  @Test
  void printsAsAreaSlashKey() {
    assertThat(new ObjectRef(StorageArea.WORK, "gen-1/image-0.png"))
        .hasToString("work/gen-1/image-0.png");
  }

  @Test
  void parsesWhatItPrints() {
    ObjectRef ref = ObjectRef.parse("outputs/gen-1/image 0.png");

    assertThat(ref).isEqualTo(new ObjectRef(StorageArea.OUTPUTS, "gen-1/image 0.png"));
    assertThat(ObjectRef.parse(ref.toString())).isEqualTo(ref);
  }

  @Test
  void rejectsAnUnknownArea() {
    assertThatThrownBy(() -> ObjectRef.parse("cache/gen-1/image-0.png"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Unknown storage area 'cache'");
  }

  @Test
  void rejectsAReferenceWithoutKey() {
    assertThatThrownBy(() -> ObjectRef.parse("work"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected <area>/<key>");
  }

  @ParameterizedTest(name = "\"{0}\" fails because {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "\"\"                   | it is empty",
        "/gen-1/image-0.png   | it starts with '/'",
        "gen-1/../secrets     | it contains '..'",
        "..                   | it contains '..'",
        "gen-1\\image-0.png   | it contains a backslash",
        "gen-1//image-0.png   | it has an empty segment",
        "gen-1/               | it has an empty segment",
        "gen-1/./image-0.png  | it has a '.' segment",
        "\"gen-1/\u0007.png\" | it contains a control character",
      })
  void rejectsInvalidKeysNamingTheProblem(String key, String problem) {
    assertThatThrownBy(() -> new ObjectRef(StorageArea.WORK, key))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(problem);
  }

  @Test
  void rejectsKeysLongerThan1024Characters() {
    assertThat(new ObjectRef(StorageArea.MODELS, "m".repeat(1024)).key()).hasSize(1024);
    assertThatThrownBy(() -> new ObjectRef(StorageArea.MODELS, "m".repeat(1025)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("longer than 1024 characters");
  }
}
