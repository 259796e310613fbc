package dev.durablediffusion.e2e;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A webhook receiver on loopback that keeps every request it gets and answers 204, or first fails
 * a given number of requests.
 */
final class HookReceiver implements AutoCloseable {

  record Request(Instant at, Headers headers, byte[] body) {}

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  HookReceiver() {
    this(0, 204, null);
  }

  /**
   * @param retryAfter the {@code Retry-After} header of a failure, or null for none
   */
  static HookReceiver failingFirst(int failures, int status, String retryAfter) {
    return new HookReceiver(failures, status, retryAfter);
  }

  private HookReceiver(int failures, int failureStatus, String retryAfter) {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(
        "/hook",
        exchange -> {
          try (exchange) {
            Instant at = Instant.now();
            byte[] body = exchange.getRequestBody().readAllBytes();
            boolean fail;
            synchronized (requests) {
              requests.add(new Request(at, exchange.getRequestHeaders(), body));
              fail = requests.size() <= failures;
            }
            if (fail && retryAfter != null) {
              exchange.getResponseHeaders().add("Retry-After", retryAfter);
            }
            exchange.sendResponseHeaders(fail ? failureStatus : 204, -1);
          }
        });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  /** The headers of the first request, once one has arrived. */
  Headers awaitFirst(Duration timeout) throws InterruptedException {
    return await(1, timeout).get(0).headers();
  }

  /** Every request so far, once at least {@code count} have arrived. */
  List<Request> await(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (requests.size() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "expected " + count + " webhook requests within " + timeout + ", got " + count());
      }
      Thread.sleep(50);
    }
    return requests();
  }

  /** Every request so far, in arrival order. */
  List<Request> requests() {
    return List.copyOf(requests);
  }

  int count() {
    return requests.size();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
