package dev.durablediffusion.storage;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** A store that hands every call to another; a test overrides the calls it makes fail. */
public abstract class ForwardingObjectStore implements ObjectStore {

  private final ObjectStore delegate;

  protected ForwardingObjectStore(ObjectStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public void put(ObjectRef ref, byte[] bytes, String contentType) {
    delegate.put(ref, bytes, contentType);
  }

  @Override
  public void putFile(ObjectRef ref, Path file, String contentType) {
    delegate.putFile(ref, file, contentType);
  }

  @Override
  public Optional<byte[]> get(ObjectRef ref) {
    return delegate.get(ref);
  }

  @Override
  public InputStream open(ObjectRef ref) throws ObjectNotFoundException {
    return delegate.open(ref);
  }

  @Override
  public void downloadTo(ObjectRef ref, Path target) throws ObjectNotFoundException {
    delegate.downloadTo(ref, target);
  }

  @Override
  public Optional<ObjectInfo> stat(ObjectRef ref) {
    return delegate.stat(ref);
  }

  @Override
  public boolean exists(ObjectRef ref) {
    return delegate.exists(ref);
  }

  @Override
  public boolean delete(ObjectRef ref) {
    return delegate.delete(ref);
  }

  @Override
  public List<String> list(StorageArea area, String prefix) {
    return delegate.list(area, prefix);
  }
}
