package dev.durablediffusion.e2e;

import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testserver.TestServer;

/** Temporal's test server, bound to a loopback port so processes of the test can share it. */
final class TemporalDevServer implements AutoCloseable {

  private final int port;
  private final TestServer.PortBoundTestServer server;
  private final WorkflowServiceStubs stubs;

  TemporalDevServer() {
    this.port = Ports.free();
    this.server = TestServer.createPortBoundServer(port);
    this.stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(target()).build());
  }

  String target() {
    return "127.0.0.1:" + port;
  }

  WorkflowClient client() {
    return WorkflowClient.newInstance(stubs);
  }

  @Override
  public void close() {
    stubs.shutdownNow();
    server.close();
  }
}
