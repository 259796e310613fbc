package dev.durablediffusion.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a real Azurite blob service, in memory, on a free loopback port, for the tests of one class:
 *
 * <pre>{@code @RegisterExtension
 * static final AzuriteExtension azurite = new AzuriteExtension();}</pre>
 *
 * <p>Azurite comes from the repository's {@code package.json} ({@code npm ci} at the repository
 * root): the extension uses {@code node_modules/.bin/azurite-blob} of the nearest directory at or
 * above the working directory, or the binary named by the {@code AZURITE_BLOB} environment
 * variable, and fails the tests when there is none. {@link #stop()} and {@link #start()} let a test
 * cause an outage; Azurite comes back on the same port, empty.
 *
 * <p>Self-contained (JUnit and the JDK only) so other modules can reuse it.
 */
public final class AzuriteExtension implements BeforeAllCallback, AfterAllCallback {

  /** Azurite's well-known development account, documented publicly by Microsoft; not a secret. */
  public static final String ACCOUNT_NAME = "devstoreaccount1";

  public static final String ACCOUNT_KEY =
      "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

  private static final String HOST = "127.0.0.1";
  private static final String BINARY_VARIABLE = "AZURITE_BLOB";
  private static final Path BINARY = Path.of("node_modules", ".bin", "azurite-blob");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  private static final String KEYSTORE_PASSWORD = "azurite-test-only";

  private final boolean entraSignIn;
  private int port;
  private Process process;
  private Path workDirectory;
  private Thread shutdownHook;

  /** Plain HTTP, signed in with the account key (a connection string). */
  public AzuriteExtension() {
    this(false);
  }

  private AzuriteExtension(boolean entraSignIn) {
    this.entraSignIn = entraSignIn;
  }

  /**
   * HTTPS with a self-signed certificate made at start ({@link #certificates()}), and bearer tokens
   * accepted the way Azurite's "basic" OAuth level does: their claims are checked, not their
   * signature. This is what user delegation keys need.
   */
  public static AzuriteExtension withEntraSignIn() {
    return new AzuriteExtension(true);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stop();
  }

  /**
   * Starts Azurite, on the port of the previous start if there was one, and waits until it answers.
   */
  public synchronized void start() {
    if (process != null) {
      throw new IllegalStateException("Azurite is already running on port " + port);
    }
    Path binary = findBinary();
    if (port == 0) {
      port = freeLoopbackPort();
    }
    try {
      workDirectory = Files.createTempDirectory("azurite-");
      List<String> command =
          new ArrayList<>(
              List.of(
                  binary.toString(),
                  "--blobHost",
                  HOST,
                  "--blobPort",
                  Integer.toString(port),
                  "--inMemoryPersistence",
                  "--skipApiVersionCheck",
                  "--loose",
                  "--silent",
                  "--disableTelemetry"));
      if (entraSignIn) {
        command.addAll(
            List.of(
                "--oauth",
                "basic",
                "--cert",
                selfSignedKeystore().toString(),
                "--pwd",
                KEYSTORE_PASSWORD));
      }
      process =
          new ProcessBuilder(command)
              .directory(workDirectory.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log().toFile())
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start " + binary, e);
    }
    Process started = process;
    shutdownHook = new Thread(() -> destroyTree(started));
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    awaitPort();
  }

  /** Stops Azurite and everything it started; its data is gone. */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    destroyTree(process);
    Runtime.getRuntime().removeShutdownHook(shutdownHook);
    deleteRecursively(workDirectory);
    process = null;
  }

  public int port() {
    return port;
  }

  public String blobEndpoint() {
    return (entraSignIn ? "https://" : "http://") + HOST + ":" + port + "/" + ACCOUNT_NAME;
  }

  /** The certificate Azurite serves over HTTPS, as a trust store for clients. */
  public KeyStore certificates() {
    try (InputStream in = Files.newInputStream(workDirectory.resolve("azurite.pfx"))) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, KEYSTORE_PASSWORD.toCharArray());
      return store;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("Cannot read Azurite's certificate", e);
    }
  }

  private Path selfSignedKeystore() throws IOException {
    Path keystore = workDirectory.resolve("azurite.pfx");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "azurite",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                "CN=" + HOST,
                "-ext",
                "SAN=IP:" + HOST,
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                KEYSTORE_PASSWORD,
                "-keypass",
                KEYSTORE_PASSWORD)
            .redirectErrorStream(true)
            .start();
    try {
      String output = new String(keytool.getInputStream().readAllBytes());
      if (keytool.waitFor() != 0) {
        throw new IllegalStateException("keytool could not make a certificate: " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return keystore;
  }

  public String connectionString() {
    return "DefaultEndpointsProtocol=http;AccountName="
        + ACCOUNT_NAME
        + ";AccountKey="
        + ACCOUNT_KEY
        + ";BlobEndpoint="
        + blobEndpoint()
        + ";";
  }

  private static Path findBinary() {
    String configured = System.getenv(BINARY_VARIABLE);
    if (configured != null && !configured.isBlank()) {
      Path binary = Path.of(configured);
      if (!Files.isExecutable(binary)) {
        throw new IllegalStateException(
            BINARY_VARIABLE + "=" + configured + " is not an executable file");
      }
      return binary;
    }
    Path workingDirectory = Path.of("").toAbsolutePath();
    for (Path directory = workingDirectory; directory != null; directory = directory.getParent()) {
      Path binary = directory.resolve(BINARY);
      if (Files.isExecutable(binary)) {
        return binary;
      }
    }
    throw new IllegalStateException(
        "Azurite is not installed: there is no "
            + BINARY
            + " at or above "
            + workingDirectory
            + ". Run `npm ci` at the repository root, or set "
            + BINARY_VARIABLE
            + " to an azurite-blob binary.");
  }

  private static int freeLoopbackPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot find a free port", e);
    }
  }

  private void awaitPort() {
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        String output = readLog();
        stop();
        throw new IllegalStateException("Azurite exited at start on port " + port + ":\n" + output);
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(HOST, port), 250);
        return;
      } catch (IOException notYet) {
        sleep(Duration.ofMillis(100));
      }
    }
    String output = readLog();
    stop();
    throw new IllegalStateException(
        "Azurite did not answer on port " + port + " within " + START_TIMEOUT + ":\n" + output);
  }

  private static void destroyTree(Process root) {
    List<ProcessHandle> tree =
        Stream.concat(root.descendants(), Stream.of(root.toHandle())).toList();
    tree.forEach(ProcessHandle::destroy);
    for (ProcessHandle handle : tree) {
      try {
        handle.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception stillRunning) {
        handle.destroyForcibly();
      }
    }
    root.toHandle().onExit().join();
  }

  private Path log() {
    return workDirectory.resolve("azurite.log");
  }

  private String readLog() {
    try {
      return Files.readString(log());
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for Azurite", e);
    }
  }

  private static void deleteRecursively(Path directory) {
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete " + directory, e);
    }
  }
}
