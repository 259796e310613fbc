package dev.durablediffusion.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Stores objects as files under a root directory, one subdirectory per area: {@code
 * work/gen-1/image-0.png} is the file {@code <root>/work/gen-1/image-0.png}.
 *
 * <p>Each object's content type is kept as text in a sidecar file in a parallel tree, {@code
 * <root>/.content-types/work/gen-1/image-0.png}, written before the object itself, so {@link #stat}
 * reports the content type given to {@code put}; an object without a sidecar (copied in by hand)
 * reports {@code application/octet-stream}. Writes go through {@link AtomicFile}; the hidden {@code
 * .*.partial} files of writes in progress are never listed. Directories left empty by deletes are
 * removed.
 */
public final class FilesystemObjectStore implements ObjectStore {

  static final String CONTENT_TYPES_DIRECTORY = ".content-types";
  private static final String UNKNOWN_CONTENT_TYPE = "application/octet-stream";

  private final Path root;

  public FilesystemObjectStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  @Override
  public void put(ObjectRef ref, byte[] bytes, String contentType) {
    write(ref, contentType, temporary -> Files.write(temporary, bytes));
  }

  @Override
  public void putFile(ObjectRef ref, Path file, String contentType) {
    write(
        ref,
        contentType,
        temporary -> Files.copy(file, temporary, StandardCopyOption.REPLACE_EXISTING));
  }

  private void write(ObjectRef ref, String contentType, AtomicFile.Content content) {
    Objects.requireNonNull(contentType, "contentType");
    try {
      AtomicFile.write(
          contentTypeFile(ref), temporary -> Files.writeString(temporary, contentType));
      AtomicFile.write(objectFile(ref), content);
    } catch (IOException e) {
      throw failure("put", ref, e);
    }
  }

  @Override
  public Optional<byte[]> get(ObjectRef ref) {
    try (InputStream in = open(ref)) {
      return Optional.of(in.readAllBytes());
    } catch (ObjectNotFoundException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw failure("get", ref, e);
    }
  }

  @Override
  public InputStream open(ObjectRef ref) {
    Path file = objectFile(ref);
    if (!Files.isRegularFile(file)) {
      throw new ObjectNotFoundException(ref, null);
    }
    try {
      return Files.newInputStream(file);
    } catch (NoSuchFileException e) {
      throw new ObjectNotFoundException(ref, e);
    } catch (IOException e) {
      throw failure("open", ref, e);
    }
  }

  @Override
  public void downloadTo(ObjectRef ref, Path target) {
    try (InputStream in = open(ref)) {
      AtomicFile.write(
          target, temporary -> Files.copy(in, temporary, StandardCopyOption.REPLACE_EXISTING));
    } catch (IOException e) {
      throw failure("download", ref, e);
    }
  }

  @Override
  public Optional<ObjectInfo> stat(ObjectRef ref) {
    try {
      BasicFileAttributes attributes =
          Files.readAttributes(objectFile(ref), BasicFileAttributes.class);
      if (!attributes.isRegularFile()) {
        return Optional.empty();
      }
      return Optional.of(
          new ObjectInfo(
              attributes.size(), contentType(ref), attributes.lastModifiedTime().toInstant()));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw failure("stat", ref, e);
    }
  }

  private String contentType(ObjectRef ref) throws IOException {
    try {
      return Files.readString(contentTypeFile(ref));
    } catch (NoSuchFileException e) {
      return UNKNOWN_CONTENT_TYPE;
    }
  }

  @Override
  public boolean exists(ObjectRef ref) {
    return Files.isRegularFile(objectFile(ref));
  }

  @Override
  public boolean delete(ObjectRef ref) {
    Path file = objectFile(ref);
    if (!Files.isRegularFile(file)) {
      return false;
    }
    try {
      boolean deleted = Files.deleteIfExists(file);
      Path contentTypeFile = contentTypeFile(ref);
      Files.deleteIfExists(contentTypeFile);
      removeEmptyDirectories(file.getParent(), areaDirectory(ref.area()));
      removeEmptyDirectories(contentTypeFile.getParent(), contentTypesDirectory(ref.area()));
      return deleted;
    } catch (IOException e) {
      throw failure("delete", ref, e);
    }
  }

  @Override
  public List<String> list(StorageArea area, String prefix) {
    ObjectKeys.checkPrefix(prefix);
    Path areaDirectory = areaDirectory(area);
    Path start = within(areaDirectory, prefix.substring(0, prefix.lastIndexOf('/') + 1));
    if (!Files.isDirectory(start)) {
      return List.of();
    }
    List<String> keys = new ArrayList<>();
    try {
      Files.walkFileTree(
          start,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
              String key = keyOf(areaDirectory, file);
              if (attributes.isRegularFile()
                  && !AtomicFile.isTemporary(file)
                  && key.startsWith(prefix)) {
                keys.add(key);
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
              if (e instanceof NoSuchFileException) {
                return FileVisitResult.CONTINUE;
              }
              throw e;
            }
          });
    } catch (IOException e) {
      throw new StorageException("Cannot list " + area.defaultName() + "/" + prefix + "*: " + e, e);
    }
    keys.sort(null);
    return keys;
  }

  private Path areaDirectory(StorageArea area) {
    return root.resolve(area.defaultName());
  }

  private Path contentTypesDirectory(StorageArea area) {
    return root.resolve(CONTENT_TYPES_DIRECTORY).resolve(area.defaultName());
  }

  private Path objectFile(ObjectRef ref) {
    return within(areaDirectory(ref.area()), ref.key());
  }

  private Path contentTypeFile(ObjectRef ref) {
    return within(contentTypesDirectory(ref.area()), ref.key());
  }

  private static Path within(Path directory, String relative) {
    Path path = directory.resolve(relative).normalize();
    if (!path.startsWith(directory)) {
      throw new IllegalArgumentException("'" + relative + "' escapes " + directory);
    }
    return path;
  }

  private static String keyOf(Path areaDirectory, Path file) {
    List<String> segments = new ArrayList<>();
    areaDirectory.relativize(file).forEach(segment -> segments.add(segment.toString()));
    return String.join("/", segments);
  }

  /** Removes {@code directory} and its parents below {@code stop} while they are empty. */
  private static void removeEmptyDirectories(Path directory, Path stop) {
    for (Path current = directory;
        current.startsWith(stop) && !current.equals(stop);
        current = current.getParent()) {
      try {
        Files.delete(current);
      } catch (IOException stillInUse) {
        return;
      }
    }
  }

  private static StorageException failure(String operation, ObjectRef ref, IOException e) {
    return new StorageException(ref, "Cannot " + operation + " " + ref + ": " + e, e);
  }
}
