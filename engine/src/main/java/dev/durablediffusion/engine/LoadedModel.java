package dev.durablediffusion.engine;

import dev.durablediffusion.engine.bundle.VerifiedBundle;

/** A bundle loaded onto a device, held by the {@link WarmPool}. */
public interface LoadedModel extends AutoCloseable {

  VerifiedBundle bundle();

  /** Memory the loaded weights hold on the device, for the pool's budget. */
  default long memoryBytes() {
    return bundle().bytes();
  }

  @Override
  void close();
}
