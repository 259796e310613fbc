package dev.durablediffusion.api.generation;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testserver.TestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TemporalReachabilityTest {

  private final AtomicLong now = new AtomicLong();

  @Test
  void aServerThatAnswersLetsRequestsThrough() throws IOException {
    int port = freePort();
    try (TestServer.PortBoundTestServer server = TestServer.createPortBoundServer(port)) {
      WorkflowServiceStubs stubs = stubs(port);
      try {
        assertThatCode(() -> reachability(stubs).require()).doesNotThrowAnyException();
      } finally {
        stubs.shutdownNow();
      }
    }
  }

  /** The first connection of a fresh channel may take more than a second on a loaded machine. */
  @Test
  void aFirstConnectionThatTakesTwoSecondsIsNotReportedAway() throws Exception {
    int port = freePort();
    WorkflowServiceStubs stubs = stubs(port);
    CompletableFuture<Void> firstCheck =
        CompletableFuture.runAsync(() -> reachability(stubs).require());
    try {
      Thread.sleep(2000);
      try (TestServer.PortBoundTestServer server = TestServer.createPortBoundServer(port)) {
        assertThatCode(() -> firstCheck.get(10, TimeUnit.SECONDS)).doesNotThrowAnyException();
      }
    } finally {
      stubs.shutdownNow();
    }
  }

  @Test
  void noServerIsRefusedWithoutWaitingOutTheSdksRetries() throws IOException {
    WorkflowServiceStubs stubs = stubs(freePort());
    try {
      assertThatThrownBy(() -> reachability(stubs).require())
          .isInstanceOf(TemporalUnavailableException.class);
    } finally {
      stubs.shutdownNow();
    }
  }

  @Test
  void aServerThatWentAwayIsSeenAtTheNextCheckAndOneThatCameBackLikewise() throws IOException {
    int port = freePort();
    WorkflowServiceStubs stubs = stubs(port);
    try {
      TemporalReachability reachability = reachability(stubs);
      TestServer.PortBoundTestServer server = TestServer.createPortBoundServer(port);
      reachability.require();
      server.close();

      now.addAndGet(Duration.ofMillis(999).toNanos());
      assertThatCode(reachability::require).doesNotThrowAnyException();
      now.addAndGet(Duration.ofMillis(1).toNanos());
      assertThatThrownBy(reachability::require).isInstanceOf(TemporalUnavailableException.class);

      try (TestServer.PortBoundTestServer back = TestServer.createPortBoundServer(port)) {
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThatCode(reachability::require).doesNotThrowAnyException();
      }
    } finally {
      stubs.shutdownNow();
    }
  }

  private TemporalReachability reachability(WorkflowServiceStubs stubs) {
    return new TemporalReachability(stubs, Duration.ofSeconds(1), now::get);
  }

  private static WorkflowServiceStubs stubs(int port) {
    return WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget("127.0.0.1:" + port).build());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
