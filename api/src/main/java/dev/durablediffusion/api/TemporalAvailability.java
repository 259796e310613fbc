package dev.durablediffusion.api;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Set;

/** Whether a failure means the Temporal server could not be reached, rather than a refusal. */
final class TemporalAvailability {

  private static final Set<Status.Code> UNREACHABLE =
      Set.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED);

  private TemporalAvailability() {}

  static boolean isUnavailable(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof StatusRuntimeException grpc
          && UNREACHABLE.contains(grpc.getStatus().getCode())) {
        return true;
      }
    }
    return false;
  }
}
