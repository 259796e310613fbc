package dev.durablediffusion.e2e;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A webhook receiver on loopback that answers 204 and keeps every request's headers. */
final class HookReceiver implements AutoCloseable {

  private final HttpServer server;
  private final List<Headers> requests = new CopyOnWriteArrayList<>();

  HookReceiver() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(
        "/hook",
        exchange -> {
          try (exchange) {
            exchange.getRequestBody().readAllBytes();
            requests.add(exchange.getRequestHeaders());
            exchange.sendResponseHeaders(204, -1);
          }
        });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  /** The headers of the first request, once one has arrived. */
  Headers awaitFirst(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (requests.isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no webhook request within " + timeout);
      }
      Thread.sleep(50);
    }
    return requests.get(0);
  }

  /** The headers of every request so far, in arrival order. */
  List<Headers> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
