package dev.durablediffusion.workflows.generation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** An image in storage (claim check): its reference, never its bytes. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImageRef(String ref, int width, int height, long seed, String sha256) {}
