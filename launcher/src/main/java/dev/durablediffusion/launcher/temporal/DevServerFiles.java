package dev.durablediffusion.launcher.temporal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The dev server's files beside its SQLite database: the CLI version that created the database
 * (another version cannot read it), the server's pid (so a launcher killed with {@code kill -9}
 * finds the server it left behind), and the server's log with the previous run's beside it.
 */
final class DevServerFiles {

  private final Path database;

  DevServerFiles(Path database) {
    this.database = database.toAbsolutePath().normalize();
  }

  Path database() {
    return database;
  }

  Path log() {
    return sibling(".log");
  }

  private Path versionFile() {
    return sibling(".cli-version");
  }

  private Path pidFile() {
    return sibling(".pid");
  }

  private Path sibling(String suffix) {
    return database.resolveSibling(database.getFileName() + suffix);
  }

  /**
   * Creates the folder, and records {@code version} as the database's writer when it is new.
   *
   * @throws TemporalStartupException when another CLI version created the database
   */
  void claimFor(String version) {
    try {
      Files.createDirectories(database.getParent());
      Optional<String> writer =
          Files.exists(versionFile())
              ? Optional.of(Files.readString(versionFile()).trim())
              : Optional.empty();
      if (writer.isPresent() && !writer.get().equals(version)) {
        throw new TemporalStartupException(
            "the Temporal database "
                + database
                + " was written by Temporal CLI v"
                + writer.get()
                + " and this build runs v"
                + version
                + ", which cannot read it: move the file away to start on an empty one (running"
                + " generations in it are lost), or set dd.temporal.cli to a v"
                + writer.get()
                + " binary");
      }
      if (writer.isEmpty()) {
        Files.writeString(versionFile(), version + "\n");
      }
    } catch (IOException e) {
      throw new TemporalStartupException(
          "cannot use the Temporal database folder " + database.getParent() + ": " + e, e);
    }
  }

  /** The server a killed launcher left running on this database, if it is still alive. */
  Optional<ProcessHandle> leftBehind() {
    try {
      if (!Files.exists(pidFile())) {
        return Optional.empty();
      }
      long pid = Long.parseLong(Files.readString(pidFile()).trim());
      return ProcessHandle.of(pid)
          .filter(ProcessHandle::isAlive)
          .filter(
              p ->
                  p.info()
                      .commandLine()
                      .map(line -> line.contains("start-dev") && line.contains(database.toString()))
                      .orElse(false));
    } catch (IOException | NumberFormatException unreadable) {
      return Optional.empty();
    }
  }

  void recordPid(long pid) {
    write(pidFile(), Long.toString(pid));
  }

  void clearPid() {
    try {
      Files.deleteIfExists(pidFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Keeps the log of the run that just ended as {@code .log.1}, for finding out why it ended. */
  void rotateLog() {
    try {
      if (Files.exists(log())) {
        Files.move(
            log(), log().resolveSibling(log().getFileName() + ".1"),
            StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, String content) {
    try {
      Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
