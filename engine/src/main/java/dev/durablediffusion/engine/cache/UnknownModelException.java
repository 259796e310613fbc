package dev.durablediffusion.engine.cache;

/** No bundle source offers the model. */
public class UnknownModelException extends RuntimeException {

  private final String model;

  public UnknownModelException(String model) {
    super("model: '" + model + "' is not offered by any model source");
    this.model = model;
  }

  public String model() {
    return model;
  }
}
