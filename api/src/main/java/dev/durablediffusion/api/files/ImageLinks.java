package dev.durablediffusion.api.files;

/** Where a client fetches an output image without its API key until the link expires. */
@FunctionalInterface
public interface ImageLinks {

  String url(String tenant, String generationId, int index);
}
