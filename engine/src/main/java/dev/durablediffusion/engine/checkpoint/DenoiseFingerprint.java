package dev.durablediffusion.engine.checkpoint;

import dev.durablediffusion.engine.GenerationSpec;
import dev.durablediffusion.model.Digests;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Names one denoise by everything its result depends on — the model's digest, every parameter, the
 * resolved seed, the start image's pixels and any given start latents — so that a checkpoint is
 * only ever resumed by the generation that wrote it.
 */
public final class DenoiseFingerprint {

  private DenoiseFingerprint() {}

  public static String of(String modelDigest, GenerationSpec spec, long seed) {
    String parameters =
        String.join(
            "\n",
            "model=" + modelDigest,
            "prompt=" + spec.prompt(),
            "negative=" + spec.negativePrompt(),
            "size=" + spec.width() + "x" + spec.height(),
            "steps=" + spec.steps(),
            "guidance=" + spec.guidanceScale(),
            "sampler=" + spec.sampler(),
            "eta=" + spec.eta(),
            "seed=" + seed,
            "images=" + spec.numImages(),
            "strength=" + (spec.initImage() == null ? "none" : spec.strength()),
            "init=" + (spec.initImage() == null ? "none" : pixelDigest(spec.initImage())),
            "latents="
                + (spec.initialLatents() == null ? "seeded" : latentDigest(spec.initialLatents())));
    return Digests.sha256(parameters.getBytes(StandardCharsets.UTF_8));
  }

  private static String latentDigest(float[] latents) {
    ByteBuffer bytes = ByteBuffer.allocate(4 * latents.length);
    bytes.asFloatBuffer().put(latents);
    return Digests.sha256(bytes.array());
  }

  private static String pixelDigest(BufferedImage image) {
    int[] rgb = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    ByteBuffer bytes = ByteBuffer.allocate(8 + 4 * rgb.length);
    bytes.putInt(image.getWidth()).putInt(image.getHeight()).asIntBuffer().put(rgb);
    return Digests.sha256(bytes.array());
  }
}
