package dev.durablediffusion.launcher.temporal;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.TimeUnit;

/** What answers on a TCP address: nothing, a Temporal frontend, or something else. */
final class PortProbe {

  enum Answer {
    NOTHING,
    TEMPORAL,
    SOMETHING_ELSE
  }

  private static final String WORKFLOW_SERVICE = "temporal.api.workflowservice.v1.WorkflowService";

  private PortProbe() {}

  static Answer probe(String ip, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(ip, port), 1000);
    } catch (IOException refused) {
      return Answer.NOTHING;
    }
    ManagedChannel channel = ManagedChannelBuilder.forAddress(ip, port).usePlaintext().build();
    try {
      HealthCheckResponse health =
          HealthGrpc.newBlockingStub(channel)
              .withDeadlineAfter(3, TimeUnit.SECONDS)
              .check(HealthCheckRequest.newBuilder().setService(WORKFLOW_SERVICE).build());
      return health.getStatus() == HealthCheckResponse.ServingStatus.SERVING
          ? Answer.TEMPORAL
          : Answer.SOMETHING_ELSE;
    } catch (RuntimeException notGrpc) {
      return Answer.SOMETHING_ELSE;
    } finally {
      channel.shutdownNow();
    }
  }
}
