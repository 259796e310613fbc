package dev.durablediffusion.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Replaces a file so that readers see the old content or the complete new one: the content goes to
 * a hidden temporary sibling ({@code .<name>.<uuid>.partial}), is fsynced, then moved over the
 * target atomically.
 */
final class AtomicFile {

  private static final String TEMPORARY_SUFFIX = ".partial";
  private static final int CREATE_ATTEMPTS = 3;

  @FunctionalInterface
  interface Content {
    void writeTo(Path temporary) throws IOException;
  }

  private AtomicFile() {}

  static void write(Path target, Content content) throws IOException {
    Path temporary = createTemporarySibling(target.toAbsolutePath());
    try {
      content.writeTo(temporary);
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  /** Whether {@code file} is the temporary file of a write in progress, or of one that crashed. */
  static boolean isTemporary(Path file) {
    String name = file.getFileName().toString();
    return name.startsWith(".") && name.endsWith(TEMPORARY_SUFFIX);
  }

  private static Path createTemporarySibling(Path target) throws IOException {
    Path directory = target.getParent();
    Path temporary =
        directory.resolve("." + target.getFileName() + "." + UUID.randomUUID() + TEMPORARY_SUFFIX);
    for (int attempt = 1; ; attempt++) {
      Files.createDirectories(directory);
      try {
        return Files.createFile(temporary);
      } catch (NoSuchFileException e) {
        // A concurrent delete pruned the empty directory between the two calls.
        if (attempt == CREATE_ATTEMPTS) {
          throw e;
        }
      }
    }
  }
}
