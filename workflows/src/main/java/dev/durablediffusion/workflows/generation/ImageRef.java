package dev.durablediffusion.workflows.generation;

/** An image in storage (claim check): its reference, never its bytes. */
public record ImageRef(String ref, int width, int height, long seed, String sha256) {}
