package dev.durablediffusion.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.durablediffusion.engine.bundle.VerifiedBundle;
import dev.durablediffusion.engine.sampler.SchedulerConfig;
import dev.durablediffusion.model.BundleManifest;
import dev.durablediffusion.model.BundleManifests;
import dev.durablediffusion.model.InvalidBundleException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A latent diffusion bundle loaded on a device: tokenizer, text encoder, UNet, VAE decoder and the
 * optional VAE encoder. Loading checks the scheduler config and runs each module once on the
 * declared shapes, so a bundle whose modules disagree with its manifest fails here, naming the
 * file.
 */
public final class DiffusionModel implements LoadedModel {

  private final VerifiedBundle bundle;
  private final SchedulerConfig scheduler;
  private final Device device;
  private final PromptTokenizer tokenizer;
  private final TorchScriptComponent textEncoder;
  private final TorchScriptComponent unet;
  private final TorchScriptComponent vaeDecoder;
  private final TorchScriptComponent vaeEncoder;

  private DiffusionModel(
      VerifiedBundle bundle,
      SchedulerConfig scheduler,
      Device device,
      PromptTokenizer tokenizer,
      TorchScriptComponent textEncoder,
      TorchScriptComponent unet,
      TorchScriptComponent vaeDecoder,
      TorchScriptComponent vaeEncoder) {
    this.bundle = bundle;
    this.scheduler = scheduler;
    this.device = device;
    this.tokenizer = tokenizer;
    this.textEncoder = textEncoder;
    this.unet = unet;
    this.vaeDecoder = vaeDecoder;
    this.vaeEncoder = vaeEncoder;
  }

  public static DiffusionModel load(VerifiedBundle bundle, Device device) {
    if (!bundle.manifest().isLatentDiffusion()) {
      throw new InvalidBundleException(
          bundle.name(),
          "manifest.json",
          "is a " + bundle.manifest().kind() + ", not a latent-diffusion bundle");
    }
    SchedulerConfig scheduler = schedulerOf(bundle);
    List<AutoCloseable> loaded = new ArrayList<>();
    try {
      PromptTokenizer tokenizer = track(loaded, PromptTokenizer.load(bundle));
      TorchScriptComponent textEncoder =
          track(loaded, TorchScriptComponent.load(bundle, "text_encoder", device));
      TorchScriptComponent unet = track(loaded, TorchScriptComponent.load(bundle, "unet", device));
      TorchScriptComponent vaeDecoder =
          track(loaded, TorchScriptComponent.load(bundle, "vae_decoder", device));
      TorchScriptComponent vaeEncoder =
          bundle.manifest().hasComponent("vae_encoder")
              ? track(loaded, TorchScriptComponent.load(bundle, "vae_encoder", device))
              : null;
      DiffusionModel model =
          new DiffusionModel(
              bundle, scheduler, device, tokenizer, textEncoder, unet, vaeDecoder, vaeEncoder);
      model.checkShapes();
      return model;
    } catch (RuntimeException e) {
      loaded.forEach(DiffusionModel::closeQuietly);
      throw e;
    }
  }

  private static SchedulerConfig schedulerOf(VerifiedBundle bundle) {
    try {
      return SchedulerConfig.fromMap(bundle.manifest().scheduler());
    } catch (IllegalArgumentException e) {
      throw new InvalidBundleException(
          bundle.name(), BundleManifests.MANIFEST_FILE, e.getMessage());
    }
  }

  private static <T extends AutoCloseable> T track(List<AutoCloseable> loaded, T part) {
    loaded.add(part);
    return part;
  }

  private void checkShapes() {
    BundleManifest m = bundle.manifest();
    int width = m.image().defaultWidth();
    int height = m.image().defaultHeight();
    int f = m.latent().downscaleFactor();
    Shape latent = new Shape(1, m.latent().channels(), height / f, width / f);
    try (NDManager manager = NDManager.newBaseManager(device);
        ModelSession session = newSession()) {
      long[] padding = new long[m.text().maxLength()];
      Arrays.fill(padding, m.text().padTokenId());
      NDArray ids = manager.create(padding, new Shape(1, padding.length));
      NDArray context = session.encodeText(ids);
      expect(context, new Shape(1, m.text().maxLength(), m.text().hiddenSize()), textEncoder);
      NDArray prediction =
          session.predictNoise(manager.zeros(latent), manager.zeros(new Shape(1)), context);
      expect(prediction, latent, unet);
      NDArray image = session.decode(manager.zeros(latent));
      expect(image, new Shape(1, 3, height, width), vaeDecoder);
      if (vaeEncoder != null) {
        expect(
            session.encodeImage(manager.zeros(new Shape(1, 3, height, width))), latent, vaeEncoder);
      }
    }
  }

  private void expect(NDArray actual, Shape expected, TorchScriptComponent component) {
    if (!actual.getShape().equals(expected)) {
      throw new InvalidBundleException(
          bundle.name(),
          component.file(),
          "returned shape " + actual.getShape() + " where the manifest implies " + expected);
    }
  }

  /** Predictors for one thread's generation; close after use. */
  ModelSession newSession() {
    return new ModelSession(textEncoder, unet, vaeDecoder, vaeEncoder);
  }

  PromptTokens tokenize(String prompt) {
    return tokenizer.tokenize(prompt);
  }

  public BundleManifest manifest() {
    return bundle.manifest();
  }

  SchedulerConfig scheduler() {
    return scheduler;
  }

  public Device device() {
    return device;
  }

  public boolean supportsImageToImage() {
    return vaeEncoder != null;
  }

  @Override
  public VerifiedBundle bundle() {
    return bundle;
  }

  @Override
  public void close() {
    List.of(tokenizer, textEncoder, unet, vaeDecoder).forEach(DiffusionModel::closeQuietly);
    if (vaeEncoder != null) {
      closeQuietly(vaeEncoder);
    }
  }

  private static void closeQuietly(AutoCloseable part) {
    try {
      part.close();
    } catch (Exception ignored) {
      // closing native handles of a model being discarded; nothing to recover
    }
  }
}
