package dev.durablediffusion.storage;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The storage port of the claim check: activities store objects here and pass {@link ObjectRef}s
 * on.
 *
 * <p>Writes are atomic: a reader sees the previous object or the complete new one, never part of
 * one. Writing an existing key replaces the object, so a retried activity may write its outputs
 * again. Failures other than a missing object throw {@link StorageException}; invalid keys or
 * prefixes throw {@link IllegalArgumentException}.
 */
public interface ObjectStore {

  void put(ObjectRef ref, byte[] bytes, String contentType);

  /**
   * Streams {@code file} into storage without holding it in memory; meant for large model files.
   */
  void putFile(ObjectRef ref, Path file, String contentType);

  Optional<byte[]> get(ObjectRef ref);

  /** Opens the object for streaming; the caller closes the stream. */
  InputStream open(ObjectRef ref) throws ObjectNotFoundException;

  /**
   * Writes the object to {@code target}, replacing it atomically; creates missing parent
   * directories. When the object is missing, {@code target} is left as it was.
   */
  void downloadTo(ObjectRef ref, Path target) throws ObjectNotFoundException;

  Optional<ObjectInfo> stat(ObjectRef ref);

  boolean exists(ObjectRef ref);

  /** Deletes the object; returns whether there was one. */
  boolean delete(ObjectRef ref);

  /**
   * Deletes every object in {@code area} whose key starts with {@code prefix}; returns how many.
   */
  default int deletePrefix(StorageArea area, String prefix) {
    return (int)
        list(area, prefix).stream().filter(key -> delete(new ObjectRef(area, key))).count();
  }

  /** The keys in {@code area} that start with {@code prefix} ("" for all), sorted. */
  List<String> list(StorageArea area, String prefix);

  /**
   * A URL that reads the object straight from the store, without credentials, until {@code
   * lifetime} has passed; empty where the store cannot hand out such links (the filesystem).
   */
  default Optional<URI> readUrl(ObjectRef ref, Duration lifetime) {
    return Optional.empty();
  }
}
