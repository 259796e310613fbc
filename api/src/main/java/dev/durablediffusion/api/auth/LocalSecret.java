package dev.durablediffusion.api.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Supplier;

/**
 * A secret the embedded default makes once and keeps in its data directory (readable by its owner
 * only), so what a client was handed (the dev API key, signed image links) still works after a
 * restart.
 */
public final class LocalSecret {

  private LocalSecret() {}

  /** The secret in {@code file}, made by {@code fresh} and written there first if it is absent. */
  public static String readOrCreate(Path file, Supplier<String> fresh) {
    try {
      if (Files.exists(file)) {
        return Files.readString(file).trim();
      }
      Files.createDirectories(file.getParent());
      Path staging =
          Files.createTempFile(
              file.getParent(),
              ".secret",
              ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(staging, fresh.get());
      try {
        Files.move(staging, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException raced) {
        Files.deleteIfExists(staging);
      }
      return Files.readString(file).trim();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep a secret in " + file, e);
    }
  }
}
