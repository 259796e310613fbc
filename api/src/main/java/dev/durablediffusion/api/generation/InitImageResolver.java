package dev.durablediffusion.api.generation;

import dev.durablediffusion.model.FieldError;
import dev.durablediffusion.storage.ObjectRef;
import dev.durablediffusion.storage.ObjectStore;
import dev.durablediffusion.storage.PngCodec;
import dev.durablediffusion.workflows.generation.RequestValidation;
import dev.durablediffusion.workflows.generation.StorageLayout;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Turns a request's {@code init_image} into a storage reference the denoise step reads: an output
 * of the same tenant (another tenant's looks exactly like a missing one), or an upload checked here
 * and written to the generation's work area just before the workflow starts.
 */
final class InitImageResolver {

  /** Uploads wider or taller than this are refused before they are decoded. */
  static final int MAX_SIDE = 2048;

  private final ObjectStore store;

  InitImageResolver(ObjectStore store) {
    this.store = store;
  }

  /** A resolved start image: the reference, and the decoded upload to store (null otherwise). */
  record Resolved(String ref, BufferedImage upload) {}

  static final Resolved NONE = new Resolved(null, null);

  Resolved resolve(String tenant, String generationId, CreateGenerationBody.InitImage init) {
    if (init == null) {
      return NONE;
    }
    boolean reference = init.generationId() != null || init.index() != null;
    if (reference == (init.data() != null)) {
      throw invalid("init_image", "give either generation_id and index, or data");
    }
    if (reference) {
      int index = init.index() == null ? 0 : init.index();
      if (!RequestValidation.isId(init.generationId()) || index < 0 || index > 3) {
        throw invalid("init_image", "is not one of your outputs");
      }
      String ref = StorageLayout.output(tenant, init.generationId(), index);
      if (!store.exists(ObjectRef.parse(ref))) {
        throw invalid("init_image", "is not one of your outputs");
      }
      return new Resolved(ref, null);
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(init.data());
    } catch (IllegalArgumentException e) {
      throw invalid("init_image.data", "is not base64");
    }
    return new Resolved(StorageLayout.initImage(generationId), decodeBounded(bytes));
  }

  void store(Resolved resolved) {
    if (resolved.upload() != null) {
      store.put(
          ObjectRef.parse(resolved.ref()),
          PngCodec.encode(resolved.upload()),
          PngCodec.CONTENT_TYPE);
    }
  }

  private static BufferedImage decodeBounded(byte[] bytes) {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        throw invalid("init_image.data", "is not a PNG or JPEG image");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        if (reader.getWidth(0) > MAX_SIDE || reader.getHeight(0) > MAX_SIDE) {
          throw invalid("init_image.data", "must be at most " + MAX_SIDE + " pixels a side");
        }
        return reader.read(0);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof InvalidRequestException invalid) {
        throw invalid;
      }
      throw invalid("init_image.data", "is not a readable image");
    }
  }

  private static InvalidRequestException invalid(String field, String reason) {
    return new InvalidRequestException(List.of(new FieldError(field, reason)));
  }
}
