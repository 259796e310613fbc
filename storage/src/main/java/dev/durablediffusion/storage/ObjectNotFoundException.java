package dev.durablediffusion.storage;

/** The referenced object is not in storage. */
public class ObjectNotFoundException extends StorageException {

  public ObjectNotFoundException(ObjectRef ref, Throwable cause) {
    super(ref, "No object at " + ref, cause);
  }
}
