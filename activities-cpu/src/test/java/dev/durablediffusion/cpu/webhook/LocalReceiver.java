package dev.durablediffusion.cpu.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP receiver on 127.0.0.1 that records every request and answers as each test tells it.
 */
final class LocalReceiver implements AutoCloseable {

  record Received(String path, Map<String, String> headers, byte[] body) {

    String header(String name) {
      return headers.get(name);
    }
  }

  @FunctionalInterface
  interface Answer {
    void answer(HttpExchange exchange) throws IOException;
  }

  private final HttpServer server;
  private final ExecutorService handlers = Executors.newCachedThreadPool();
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final CountDownLatch closing = new CountDownLatch(1);

  LocalReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(handlers);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  LocalReceiver answer(String path, Answer answer) {
    answers.put(path, answer);
    return this;
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  List<Received> received(String path) {
    return received.stream().filter(r -> r.path().equals(path)).toList();
  }

  static Answer status(int code, String... headerNamesAndValues) {
    return exchange -> {
      for (int i = 0; i < headerNamesAndValues.length; i += 2) {
        exchange.getResponseHeaders().add(headerNamesAndValues[i], headerNamesAndValues[i + 1]);
      }
      exchange.sendResponseHeaders(code, -1);
      exchange.close();
    };
  }

  /** Never answers, until the receiver closes. */
  Answer silence() {
    return exchange -> awaitClosing();
  }

  /** Answers {@code code}, then keeps sending body without ever finishing it. */
  Answer endlessBody(int code) {
    return exchange -> {
      exchange.sendResponseHeaders(code, 0);
      OutputStream body = exchange.getResponseBody();
      body.write("still talking\n".getBytes(StandardCharsets.UTF_8));
      body.flush();
      awaitClosing();
    };
  }

  private void awaitClosing() {
    try {
      closing.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    exchange
        .getRequestHeaders()
        .forEach((name, values) -> headers.put(name, String.join(",", values)));
    String path = exchange.getRequestURI().getPath();
    received.add(new Received(path, headers, exchange.getRequestBody().readAllBytes()));
    answers.getOrDefault(path, status(404)).answer(exchange);
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    handlers.shutdownNow();
  }
}
