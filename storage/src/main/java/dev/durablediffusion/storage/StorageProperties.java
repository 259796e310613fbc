package dev.durablediffusion.storage;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where objects are stored ({@code dd.storage.*}). The records check themselves when bound, so a
 * bad configuration fails at startup with a message naming the property.
 */
@ConfigurationProperties(prefix = "dd.storage")
public record StorageProperties(
    @DefaultValue("filesystem") Type type,
    @DefaultValue Filesystem filesystem,
    @DefaultValue Azure azure) {

  public StorageProperties {
    Objects.requireNonNull(type, "dd.storage.type");
    Objects.requireNonNull(filesystem, "dd.storage.filesystem");
    Objects.requireNonNull(azure, "dd.storage.azure");
    if (type == Type.AZURE_BLOB) {
      azure.requireAccount();
    }
  }

  public enum Type {
    FILESYSTEM,
    AZURE_BLOB
  }

  /**
   * @param root the directory holding one subdirectory per area
   */
  public record Filesystem(@DefaultValue("./data") Path root) {

    public Filesystem {
      Objects.requireNonNull(root, "dd.storage.filesystem.root");
    }
  }

  /**
   * @param connectionString a storage account connection string (Azurite, or an account key)
   * @param endpoint the account's blob endpoint, signed in to with {@code DefaultAzureCredential}
   *     (workload identity on AKS); exactly one of the two is set
   * @param createContainers whether missing containers are created, at start and when a write finds
   *     its container gone
   */
  public record Azure(
      String connectionString,
      String endpoint,
      @DefaultValue Containers containers,
      @DefaultValue("true") boolean createContainers,
      @DefaultValue Retry retry) {

    public Azure {
      connectionString = blankToNull(connectionString);
      endpoint = blankToNull(endpoint);
      Objects.requireNonNull(containers, "dd.storage.azure.containers");
      Objects.requireNonNull(retry, "dd.storage.azure.retry");
      if (connectionString != null && endpoint != null) {
        throw new IllegalArgumentException(
            "Set dd.storage.azure.connection-string or dd.storage.azure.endpoint, not both");
      }
    }

    /** Every setting, with the connection string (it holds the account key) only as set or not. */
    @Override
    public String toString() {
      return "Azure[connectionString="
          + (connectionString == null ? "none" : "set")
          + ", endpoint="
          + endpoint
          + ", containers="
          + containers
          + ", createContainers="
          + createContainers
          + ", retry="
          + retry
          + "]";
    }

    void requireAccount() {
      if (connectionString == null && endpoint == null) {
        throw new IllegalArgumentException(
            "dd.storage.type=azure-blob needs dd.storage.azure.connection-string (Azurite or an"
                + " account key) or dd.storage.azure.endpoint (signs in with"
                + " DefaultAzureCredential, e.g. workload identity)");
      }
    }

    private static String blankToNull(String value) {
      return value == null || value.isBlank() ? null : value;
    }
  }

  /** One container per area; each defaults to the area's name. */
  public record Containers(String models, String work, String outputs) {

    private static final Pattern CONTAINER_NAME =
        Pattern.compile("(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]");

    public Containers {
      models = checkName("models", models, StorageArea.MODELS);
      work = checkName("work", work, StorageArea.WORK);
      outputs = checkName("outputs", outputs, StorageArea.OUTPUTS);
      if (new HashSet<>(List.of(models, work, outputs)).size() < 3) {
        throw new IllegalArgumentException(
            "dd.storage.azure.containers must name a different container for each area");
      }
    }

    public Map<StorageArea, String> byArea() {
      Map<StorageArea, String> names = new EnumMap<>(StorageArea.class);
      names.put(StorageArea.MODELS, models);
      names.put(StorageArea.WORK, work);
      names.put(StorageArea.OUTPUTS, outputs);
      return names;
    }

    private static String checkName(String property, String name, StorageArea area) {
      String checked = name == null ? area.defaultName() : name;
      if (!CONTAINER_NAME.matcher(checked).matches()) {
        throw new IllegalArgumentException(
            "dd.storage.azure.containers."
                + property
                + "='"
                + checked
                + "' is not a container name: 3 to 63 lowercase letters, digits and single hyphens,"
                + " starting and ending with a letter or digit");
      }
      return checked;
    }
  }

  /**
   * The SDK's exponential retry: before try n it waits (2^(n-1) - 1) × retryDelay, at most
   * maxRetryDelay. The defaults wait 1, 3, 7, 15 and 16 s, riding out an outage of about 40 s.
   *
   * @param tryTimeout how long one try (one request, or one block of a large transfer) may take
   */
  public record Retry(
      @DefaultValue("6") int maxTries,
      @DefaultValue("60s") Duration tryTimeout,
      @DefaultValue("1s") Duration retryDelay,
      @DefaultValue("16s") Duration maxRetryDelay) {

    public Retry {
      if (maxTries < 1) {
        throw new IllegalArgumentException(
            "dd.storage.azure.retry.max-tries must be at least 1, was " + maxTries);
      }
      requirePositive("try-timeout", tryTimeout);
      requirePositive("retry-delay", retryDelay);
      requirePositive("max-retry-delay", maxRetryDelay);
      if (retryDelay.compareTo(maxRetryDelay) > 0) {
        throw new IllegalArgumentException(
            "dd.storage.azure.retry.retry-delay must not exceed"
                + " dd.storage.azure.retry.max-retry-delay");
      }
    }

    private static void requirePositive(String property, Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(
            "dd.storage.azure.retry." + property + " must be positive, was " + value);
      }
    }
  }
}
