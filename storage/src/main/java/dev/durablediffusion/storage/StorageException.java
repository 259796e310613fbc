package dev.durablediffusion.storage;

import java.util.Optional;

/**
 * A storage operation failed; the message names the object (or area) and the reason, never
 * credentials.
 */
public class StorageException extends RuntimeException {

  private final ObjectRef ref;

  public StorageException(String message, Throwable cause) {
    this(null, message, cause);
  }

  public StorageException(ObjectRef ref, String message, Throwable cause) {
    super(message, cause);
    this.ref = ref;
  }

  /**
   * The object the failed operation was about; empty for operations on a whole area or container.
   */
  public Optional<ObjectRef> ref() {
    return Optional.ofNullable(ref);
  }
}
