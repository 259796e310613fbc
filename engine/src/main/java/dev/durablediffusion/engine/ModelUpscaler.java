package dev.durablediffusion.engine;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.durablediffusion.engine.bundle.VerifiedBundle;
import dev.durablediffusion.model.InvalidBundleException;
import java.awt.image.BufferedImage;

/** An {@code upscaler} bundle: any TorchScript image-in, image-out model with a declared scale. */
public final class ModelUpscaler implements LoadedModel {

  private final VerifiedBundle bundle;
  private final Device device;
  private final TorchScriptComponent model;

  private ModelUpscaler(VerifiedBundle bundle, Device device, TorchScriptComponent model) {
    this.bundle = bundle;
    this.device = device;
    this.model = model;
  }

  public static ModelUpscaler load(VerifiedBundle bundle, Device device) {
    if (!bundle.manifest().isUpscaler()) {
      throw new InvalidBundleException(
          bundle.name(),
          "manifest.json",
          "is a " + bundle.manifest().kind() + ", not an upscaler bundle");
    }
    ModelUpscaler upscaler =
        new ModelUpscaler(bundle, device, TorchScriptComponent.load(bundle, "model", device));
    try {
      upscaler.upscale(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB));
    } catch (RuntimeException e) {
      upscaler.close();
      throw e;
    }
    return upscaler;
  }

  public int scale() {
    return bundle.manifest().upscale().scale();
  }

  public BufferedImage upscale(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    float[] planes = ImageTensors.toPlanes(image);
    for (int i = 0; i < planes.length; i++) {
      planes[i] = (planes[i] + 1f) * 0.5f;
    }
    Shape expected = new Shape(1, 3, (long) h * scale(), (long) w * scale());
    try (NDManager manager = NDManager.newBaseManager(device);
        Predictor<NDList, NDList> predictor = model.newPredictor()) {
      var output = model.forward(predictor, manager.create(planes, new Shape(1, 3, h, w)));
      if (!output.getShape().equals(expected)) {
        throw new InvalidBundleException(
            bundle.name(),
            model.file(),
            "returned shape " + output.getShape() + ", expected " + expected);
      }
      float[] pixels = output.mul(2f).sub(1f).toFloatArray();
      return ImageTensors.toImage(pixels, 0, w * scale(), h * scale());
    }
  }

  @Override
  public VerifiedBundle bundle() {
    return bundle;
  }

  @Override
  public void close() {
    model.close();
  }
}
