package dev.durablediffusion.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.durablediffusion.engine.checkpoint.DenoiseCheckpoint;
import dev.durablediffusion.engine.checkpoint.DenoiseFingerprint;
import dev.durablediffusion.engine.sampler.Sampler;
import dev.durablediffusion.engine.sampler.Samplers;
import dev.durablediffusion.engine.sampler.SeededNoise;
import dev.durablediffusion.model.BundleManifest;
import dev.durablediffusion.model.FieldError;
import dev.durablediffusion.model.GenerationLimits;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * Text-to-image and image-to-image on a loaded {@link DiffusionModel}: classifier-free guidance in
 * one UNet batch, one seed per image, a callback per step. Native memory is scoped per generation
 * and per step.
 */
public final class Denoiser {

  private final SecureRandom seedSource = new SecureRandom();

  public GenerationOutput generate(
      DiffusionModel model, GenerationSpec spec, StepListener listener) {
    return generate(model, spec, listener, null);
  }

  /**
   * Continues from {@code resumeFrom} when it was written by this same generation (see {@link
   * DenoiseFingerprint}), so that the images are bit for bit those of an uninterrupted run; starts
   * from the first step otherwise and says why in {@link GenerationOutput#resumeRefused()}.
   *
   * @param resumeFrom a checkpoint from an earlier attempt, or null
   */
  public GenerationOutput generate(
      DiffusionModel model, GenerationSpec spec, StepListener listener, DenoiseCheckpoint resumeFrom) {
    check(model, spec);
    long started = System.nanoTime();
    BundleManifest manifest = model.manifest();
    long seed = spec.seed() != null ? spec.seed() : seedSource.nextLong(1L << 32);
    int batch = spec.numImages();
    int factor = manifest.latent().downscaleFactor();
    Shape latentShape =
        new Shape(
            batch, manifest.latent().channels(), spec.height() / factor, spec.width() / factor);
    int perImage = (int) (latentShape.size() / batch);
    SeededNoise noise =
        new SeededNoise(
            IntStream.range(0, batch).mapToObj(i -> imageSeed(seed, i)).toList(), perImage);
    Sampler sampler = Samplers.create(spec.sampler(), model.scheduler(), spec.eta());
    sampler.setTimesteps(spec.steps());
    float[] timesteps = sampler.timesteps();
    boolean guided = spec.guidanceScale() > 1.0;
    String fingerprint = DenoiseFingerprint.of(model.bundle().digest(), spec, seed);
    int start = spec.initImage() == null ? 0 : firstStep(spec);
    String resumeRefused =
        resumeFrom == null
            ? null
            : resume(resumeFrom, fingerprint, start, timesteps.length, batch * perImage, sampler, noise);
    int first = resumeFrom == null || resumeRefused != null ? start : resumeFrom.nextStep();
    Stopwatch forward = new Stopwatch();
    Stopwatch unet = new Stopwatch();

    try (NDManager manager = NDManager.newBaseManager(model.device());
        ModelSession session = model.newSession()) {
      PromptTokens cond = model.tokenize(spec.prompt());
      PromptTokens uncond = guided ? model.tokenize(spec.negativePrompt()) : null;
      NDArray context = forward.time(() -> encodeContext(session, manager, cond, uncond, batch));
      float[] latents;
      if (first > start) {
        latents = resumeFrom.latents();
      } else if (spec.initImage() == null) {
        latents =
            initialNoise(noise, spec.initialLatents(), batch * perImage, sampler.initNoiseSigma());
      } else {
        latents = noisedImage(model, session, manager, spec, sampler, noise, batch, start, forward);
      }

      long loopStarted = System.nanoTime();
      for (int i = first; i < timesteps.length; i++) {
        float[] current = latents;
        int index = i;
        float[] prediction =
            unet.time(
                () ->
                    forward.time(
                        () ->
                            predict(
                                session,
                                manager,
                                sampler.scaleModelInput(current, index),
                                latentShape,
                                timesteps[index],
                                context,
                                guided)));
        float[] guidedPrediction =
            guided ? guide(prediction, (float) spec.guidanceScale()) : prediction;
        latents = sampler.step(guidedPrediction, i, latents, noise);
        float[] after = latents;
        int done = i - start + 1;
        int total = timesteps.length - start;
        int ranHere = i - first + 1;
        long elapsed = (System.nanoTime() - loopStarted) / 1_000_000;
        DenoiseCheckpoint checkpoint =
            new DenoiseCheckpoint(fingerprint, i + 1, after, sampler.memory(), noise.state());
        Supplier<BufferedImage> preview =
            spec.previews()
                ? () ->
                    decode(
                            model,
                            session,
                            manager,
                            previewLatent(sampler, after, index, perImage),
                            1,
                            spec,
                            null)
                        .get(0)
                : () -> null;
        listener.onStep(
            new StepProgress(
                done, total, elapsed, elapsed * (total - done) / ranHere, preview, checkpoint));
      }
      double samplingMillis = (System.nanoTime() - loopStarted) / 1e6;
      List<BufferedImage> images = decode(model, session, manager, latents, batch, spec, forward);
      List<GeneratedImage> generated = new ArrayList<>();
      for (int i = 0; i < batch; i++) {
        generated.add(new GeneratedImage(images.get(i), imageSeed(seed, i)));
      }
      return new GenerationOutput(
          generated,
          seed,
          cond.truncated(),
          uncond != null && uncond.truncated(),
          timesteps.length - first,
          first > start ? first : null,
          resumeRefused,
          (System.nanoTime() - started) / 1e6,
          samplingMillis,
          forward.millis(),
          unet.millis());
    }
  }

  /**
   * Puts the sampler and the noise where the checkpoint left them.
   *
   * @return why the checkpoint cannot be resumed, or null when it has been
   */
  private static String resume(
      DenoiseCheckpoint checkpoint,
      String fingerprint,
      int start,
      int steps,
      int latentSize,
      Sampler sampler,
      SeededNoise noise) {
    if (!checkpoint.fingerprint().equals(fingerprint)) {
      return "it was written for another model, seed or parameters";
    }
    if (checkpoint.nextStep() <= start || checkpoint.nextStep() >= steps) {
      return "its step " + checkpoint.nextStep() + " is not inside (" + start + ", " + steps + ")";
    }
    if (checkpoint.latents().length != latentSize) {
      return "it holds " + checkpoint.latents().length + " latent values, not " + latentSize;
    }
    try {
      sampler.restore(checkpoint.sampler());
      noise.restore(checkpoint.noise());
      return null;
    } catch (IllegalArgumentException e) {
      sampler.setTimesteps(steps);
      return e.getMessage();
    }
  }

  private static void check(DiffusionModel model, GenerationSpec spec) {
    List<FieldError> errors =
        new ArrayList<>(
            GenerationLimits.check(
                model.manifest(),
                spec.prompt(),
                spec.negativePrompt(),
                spec.width(),
                spec.height(),
                spec.steps(),
                spec.guidanceScale(),
                spec.sampler(),
                spec.eta(),
                spec.seed(),
                spec.numImages()));
    if (spec.initialLatents() != null) {
      BundleManifest m = model.manifest();
      int factor = m.latent().downscaleFactor();
      long expected =
          (long) spec.numImages()
              * m.latent().channels()
              * (spec.height() / factor)
              * (spec.width() / factor);
      if (spec.initImage() != null) {
        errors.add(new FieldError("latents", "applies to text-to-image only, not with init_image"));
      } else if (spec.initialLatents().length != expected) {
        errors.add(
            new FieldError(
                "latents",
                "holds "
                    + spec.initialLatents().length
                    + " values; "
                    + spec.numImages()
                    + " images of "
                    + m.latent().channels()
                    + "×"
                    + spec.height() / factor
                    + "×"
                    + spec.width() / factor
                    + " need "
                    + expected));
      }
    }
    if (spec.initImage() != null) {
      if (!model.supportsImageToImage()) {
        errors.add(
            new FieldError("init_image", "model " + model.bundle().name() + " has no VAE encoder"));
      }
      if (!(spec.strength() > 0 && spec.strength() <= 1)) {
        errors.add(new FieldError("strength", "must be greater than 0 and at most 1"));
      } else if ((int) (spec.steps() * spec.strength()) < 1) {
        errors.add(
            new FieldError("strength", "leaves no step to run at " + spec.steps() + " steps"));
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidGenerationException(errors);
    }
  }

  /**
   * The seed image {@code index} of a batch uses: the request's seed plus the index, wrapped to
   * stay within {@link GenerationLimits#MAX_SEED} so that it can be submitted again.
   */
  static long imageSeed(long seed, int index) {
    return (seed + index) % (GenerationLimits.MAX_SEED + 1);
  }

  /** Without guidance ({@code uncond} null) only the prompt is encoded. */
  private static NDArray encodeContext(
      ModelSession session, NDManager manager, PromptTokens cond, PromptTokens uncond, int batch) {
    int window = cond.ids().length;
    if (uncond == null) {
      return session.encodeText(manager.create(cond.ids(), new Shape(1, window))).repeat(0, batch);
    }
    long[] ids = new long[2 * window];
    System.arraycopy(uncond.ids(), 0, ids, 0, window);
    System.arraycopy(cond.ids(), 0, ids, window, window);
    NDArray both = session.encodeText(manager.create(ids, new Shape(2, window)));
    return NDArrays.concat(
        new NDList(both.get("0:1").repeat(0, batch), both.get("1:2").repeat(0, batch)));
  }

  /**
   * The seeded start noise, or the given latents; the seeded draws are made either way so that the
   * stochastic steps see the same noise whichever start a run had.
   */
  private static float[] initialNoise(
      SeededNoise noise, float[] given, int size, float sigma) {
    float[] latents = new float[size];
    noise.fill(latents);
    if (given != null) {
      System.arraycopy(given, 0, latents, 0, size);
    }
    for (int i = 0; i < size; i++) {
      latents[i] *= sigma;
    }
    return latents;
  }

  private static int firstStep(GenerationSpec spec) {
    return spec.steps() - Math.min((int) (spec.steps() * spec.strength()), spec.steps());
  }

  private static float[] noisedImage(
      DiffusionModel model,
      ModelSession session,
      NDManager manager,
      GenerationSpec spec,
      Sampler sampler,
      SeededNoise noise,
      int batch,
      int start,
      Stopwatch forward) {
    float[] planes = ImageTensors.toPlanes(fitted(spec.initImage(), spec.width(), spec.height()));
    float scaling = (float) model.manifest().latent().scalingFactor();
    float[] encoded =
        forward.time(
            () -> {
              try (NDManager scope = manager.newSubManager()) {
                NDArray image = scope.create(planes, new Shape(1, 3, spec.height(), spec.width()));
                return session.encodeImage(image).mul(scaling).repeat(0, batch).toFloatArray();
              }
            });
    float[] fresh = new float[encoded.length];
    noise.fill(fresh);
    return sampler.addNoise(encoded, fresh, start);
  }

  private static BufferedImage fitted(BufferedImage image, int width, int height) {
    if (image.getWidth() == width
        && image.getHeight() == height
        && image.getType() == BufferedImage.TYPE_INT_RGB) {
      return image;
    }
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
    g.drawImage(image, 0, 0, width, height, null);
    g.dispose();
    return out;
  }

  private static float[] predict(
      ModelSession session,
      NDManager manager,
      float[] input,
      Shape latentShape,
      float timestep,
      NDArray context,
      boolean guided) {
    try (NDManager step = manager.newSubManager()) {
      NDArray sample = step.create(input, latentShape);
      NDArray batchInput = guided ? NDArrays.concat(new NDList(sample, sample)) : sample;
      NDArray t = step.full(new Shape(batchInput.getShape().get(0)), timestep);
      return session.predictNoise(batchInput, t, context).toFloatArray();
    }
  }

  /** Unconditional half first, conditional half second: {@code u + g (c - u)}. */
  private static float[] guide(float[] prediction, float scale) {
    int half = prediction.length / 2;
    float[] out = new float[half];
    for (int i = 0; i < half; i++) {
      float u = prediction[i];
      out[i] = u + scale * (prediction[half + i] - u);
    }
    return out;
  }

  private static float[] previewLatent(Sampler sampler, float[] latents, int index, int perImage) {
    float[] first = new float[perImage];
    System.arraycopy(latents, 0, first, 0, perImage);
    int next = index + 1;
    return next < sampler.timesteps().length ? sampler.scaleModelInput(first, next) : first;
  }

  private static List<BufferedImage> decode(
      DiffusionModel model,
      ModelSession session,
      NDManager manager,
      float[] latents,
      int batch,
      GenerationSpec spec,
      Stopwatch forward) {
    BundleManifest manifest = model.manifest();
    int factor = manifest.latent().downscaleFactor();
    Shape shape =
        new Shape(
            batch, manifest.latent().channels(), spec.height() / factor, spec.width() / factor);
    float scaling = (float) manifest.latent().scalingFactor();
    Supplier<float[]> decodeCall =
        () -> {
          try (NDManager scope = manager.newSubManager()) {
            return session.decode(scope.create(latents, shape).div(scaling)).toFloatArray();
          }
        };
    float[] pixels = forward == null ? decodeCall.get() : forward.time(decodeCall);
    List<BufferedImage> images = new ArrayList<>(batch);
    for (int i = 0; i < batch; i++) {
      images.add(ImageTensors.toImage(pixels, i, spec.width(), spec.height()));
    }
    return images;
  }
}
