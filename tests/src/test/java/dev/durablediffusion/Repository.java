package dev.durablediffusion;

import java.nio.file.Files;
import java.nio.file.Path;

/** The checkout the tests run in, for tests that read its files. */
public final class Repository {

  private Repository() {}

  public static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("mvnw")) && Files.isDirectory(p.resolve("docs"))) {
        return p;
      }
    }
    throw new AssertionError("No repository above " + dir + ": run the tests from the checkout");
  }
}
