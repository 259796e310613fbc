package dev.durablediffusion.api.generation;

import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Whether the Temporal frontend answers, checked at most once per {@code recheck}, so that while
 * it is away a request that needs it is refused at once instead of waiting out the SDK's minute
 * of retries.
 */
public class TemporalReachability {

  private static final String WORKFLOW_SERVICE = "temporal.api.workflowservice.v1.WorkflowService";
  private static final long FIRST_CHECK_SECONDS = 5;

  private final WorkflowServiceStubs stubs;
  private final long recheckNanos;
  private final LongSupplier nanoTime;
  private long checkedAt;
  private boolean reachable = true;
  private boolean checked;

  public TemporalReachability(WorkflowServiceStubs stubs, Duration recheck, LongSupplier nanoTime) {
    this.stubs = stubs;
    this.recheckNanos = recheck.toNanos();
    this.nanoTime = nanoTime;
  }

  /**
   * @throws TemporalUnavailableException when the frontend did not answer its last check
   */
  public void require() {
    if (!reachable()) {
      throw new TemporalUnavailableException();
    }
  }

  private synchronized boolean reachable() {
    long now = nanoTime.getAsLong();
    if (!checked || now - checkedAt >= recheckNanos) {
      reachable = answers();
      checkedAt = now;
      checked = true;
    }
    return reachable;
  }

  /**
   * After a failed check the channel is in its reconnect backoff, which would fail this check
   * too: it reconnects at once and waits for the connection, up to a second. The first check
   * opens the channel's first connection, which on a loaded machine takes longer than a second:
   * it waits up to five, so a server that is up is not reported away.
   */
  private boolean answers() {
    if (!reachable) {
      stubs.getRawChannel().resetConnectBackoff();
    }
    try {
      return HealthGrpc.newBlockingStub(stubs.getRawChannel())
              .withWaitForReady()
              .withDeadlineAfter(checked ? 1 : FIRST_CHECK_SECONDS, TimeUnit.SECONDS)
              .check(HealthCheckRequest.newBuilder().setService(WORKFLOW_SERVICE).build())
              .getStatus()
          == HealthCheckResponse.ServingStatus.SERVING;
    } catch (RuntimeException unreachable) {
      return false;
    }
  }
}
