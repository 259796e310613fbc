package dev.durablediffusion.api.generation;

import dev.durablediffusion.api.limits.AdmissionControl;
import dev.durablediffusion.api.limits.SubmissionRateLimiter;
import dev.durablediffusion.api.limits.TooManyRequestsException;
import dev.durablediffusion.storage.index.GenerationIndex;
import java.util.OptionalLong;

/**
 * What a new generation must pass before it starts: the GPU backlog of its priority class, then
 * its tenant's submission rate, then its tenant's number of generations in flight.
 */
public class SubmissionLimits {

  private final AdmissionControl admission;
  private final SubmissionRateLimiter rateLimiter;
  private final GenerationIndex index;
  private final int maxInFlight;

  public SubmissionLimits(
      AdmissionControl admission,
      SubmissionRateLimiter rateLimiter,
      GenerationIndex index,
      int maxInFlight) {
    this.admission = admission;
    this.rateLimiter = rateLimiter;
    this.index = index;
    this.maxInFlight = maxInFlight;
  }

  /**
   * @throws TooManyRequestsException with the seconds to wait, when any limit is reached
   */
  void admit(String tenant, String priority) {
    admission.admit(priority);
    OptionalLong wait = rateLimiter.tryAcquire(tenant);
    if (wait.isPresent()) {
      throw new TooManyRequestsException(
          "/problems/rate-limited",
          "too many new generations for this tenant; retry after the given seconds",
          wait.getAsLong());
    }
    if (index.inFlight(tenant) >= maxInFlight) {
      throw new TooManyRequestsException(
          "/problems/too-many-in-flight",
          "this tenant already has " + maxInFlight + " generations running",
          5);
    }
  }
}
