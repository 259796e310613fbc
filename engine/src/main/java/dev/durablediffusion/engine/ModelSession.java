package dev.durablediffusion.engine;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/** The predictors one generation uses on its thread (DJL predictors are not thread-safe). */
final class ModelSession implements AutoCloseable {

  private final TorchScriptComponent textEncoder;
  private final TorchScriptComponent unet;
  private final TorchScriptComponent vaeDecoder;
  private final TorchScriptComponent vaeEncoder;
  private final Predictor<NDList, NDList> textEncoderPredictor;
  private final Predictor<NDList, NDList> unetPredictor;
  private final Predictor<NDList, NDList> vaeDecoderPredictor;
  private final Predictor<NDList, NDList> vaeEncoderPredictor;

  ModelSession(
      TorchScriptComponent textEncoder,
      TorchScriptComponent unet,
      TorchScriptComponent vaeDecoder,
      TorchScriptComponent vaeEncoder) {
    this.textEncoder = textEncoder;
    this.unet = unet;
    this.vaeDecoder = vaeDecoder;
    this.vaeEncoder = vaeEncoder;
    this.textEncoderPredictor = textEncoder.newPredictor();
    this.unetPredictor = unet.newPredictor();
    this.vaeDecoderPredictor = vaeDecoder.newPredictor();
    this.vaeEncoderPredictor = vaeEncoder == null ? null : vaeEncoder.newPredictor();
  }

  NDArray encodeText(NDArray inputIds) {
    return textEncoder.forward(textEncoderPredictor, inputIds);
  }

  NDArray predictNoise(NDArray sample, NDArray timestep, NDArray context) {
    return unet.forward(unetPredictor, sample, timestep, context);
  }

  NDArray decode(NDArray latents) {
    return vaeDecoder.forward(vaeDecoderPredictor, latents);
  }

  NDArray encodeImage(NDArray image) {
    return vaeEncoder.forward(vaeEncoderPredictor, image);
  }

  @Override
  public void close() {
    textEncoderPredictor.close();
    unetPredictor.close();
    vaeDecoderPredictor.close();
    if (vaeEncoderPredictor != null) {
      vaeEncoderPredictor.close();
    }
  }
}
