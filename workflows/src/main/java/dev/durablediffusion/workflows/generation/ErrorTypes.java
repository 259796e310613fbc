package dev.durablediffusion.workflows.generation;

/** Failure types shared by activities, the workflow and the API. */
public final class ErrorTypes {

  public static final String INVALID_REQUEST = "InvalidRequest";
  public static final String MODEL_UNAVAILABLE = "ModelUnavailable";
  public static final String GPU_HOST_LOST = "GpuHostLost";
  public static final String GPU_HOST_DRAINING = "GpuHostDraining";
  public static final String INTERNAL = "Internal";

  private ErrorTypes() {}
}
