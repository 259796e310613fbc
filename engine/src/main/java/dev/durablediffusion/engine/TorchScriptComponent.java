package dev.durablediffusion.engine;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.EngineException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import dev.durablediffusion.engine.bundle.VerifiedBundle;
import dev.durablediffusion.model.InvalidBundleException;
import java.io.IOException;
import java.util.Map;

/**
 * One TorchScript file of a bundle, loaded on a device. Inputs are cast to the bundle's dtype and
 * outputs back to float32, so callers always work in float32.
 */
final class TorchScriptComponent implements AutoCloseable {

  private final String bundleName;
  private final String file;
  private final Model model;
  private final DataType dtype;

  private TorchScriptComponent(String bundleName, String file, Model model, DataType dtype) {
    this.bundleName = bundleName;
    this.file = file;
    this.model = model;
    this.dtype = dtype;
  }

  static TorchScriptComponent load(VerifiedBundle bundle, String component, Device device) {
    String file = bundle.manifest().components().get(component).file();
    Model model = Model.newInstance(bundle.name() + "/" + component, device, "PyTorch");
    try {
      model.load(bundle.file(component), null, Map.of("mapLocation", "true"));
    } catch (IOException | MalformedModelException | EngineException e) {
      model.close();
      throw new InvalidBundleException(
          bundle.name(), file, "is not a loadable TorchScript module: " + e.getMessage(), e);
    }
    DataType dtype =
        "float16".equals(bundle.manifest().dtype()) ? DataType.FLOAT16 : DataType.FLOAT32;
    return new TorchScriptComponent(bundle.name(), file, model, dtype);
  }

  /** A predictor for one thread; close it after the generation. */
  Predictor<NDList, NDList> newPredictor() {
    return model.newPredictor(new NoopTranslator(null));
  }

  /** Runs the module; float inputs are cast to the bundle's dtype, the first output to float32. */
  NDArray forward(Predictor<NDList, NDList> predictor, NDArray... inputs) {
    NDList list = new NDList(inputs.length);
    for (NDArray input : inputs) {
      list.add(input.getDataType().isFloating() ? input.toType(dtype, false) : input);
    }
    try {
      return predictor.predict(list).singletonOrThrow().toType(DataType.FLOAT32, false);
    } catch (TranslateException | EngineException | IllegalStateException e) {
      throw new InvalidBundleException(
          bundleName, file, "failed on inputs " + shapes(inputs) + ": " + e.getMessage(), e);
    }
  }

  private static String shapes(NDArray[] inputs) {
    StringBuilder out = new StringBuilder();
    for (NDArray input : inputs) {
      out.append(input.getShape()).append(' ');
    }
    return out.toString().trim();
  }

  String file() {
    return file;
  }

  @Override
  public void close() {
    model.close();
  }
}
