package dev.durablediffusion.api.limits;

/** How much interactive GPU work is waiting, as admission control reads it. */
@FunctionalInterface
public interface GpuBacklog {

  long interactiveDepth();
}
