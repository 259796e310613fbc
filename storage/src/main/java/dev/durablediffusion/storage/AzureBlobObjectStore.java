package dev.durablediffusion.storage;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.models.ParallelTransferOptions;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import com.azure.storage.blob.options.BlobUploadFromFileOptions;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Stores objects as block blobs, one container per area; the key is the blob name.
 *
 * <p>Every write is committed by one request (Put Blob, or Put Block List after the blocks of a
 * large file), so readers never see a partial object. Retries of failed requests are the SDK's,
 * configured by {@link StorageProperties.Retry}.
 */
public final class AzureBlobObjectStore implements ObjectStore {

  private static final long MIB = 1024 * 1024;
  private static final ParallelTransferOptions FILE_TRANSFER =
      new ParallelTransferOptions()
          .setBlockSizeLong(8 * MIB)
          .setMaxSingleUploadSizeLong(8 * MIB)
          .setMaxConcurrency(4);

  private final Map<StorageArea, BlobContainerClient> containers = new EnumMap<>(StorageArea.class);
  private final boolean createContainers;
  private final BlobReadUrls readUrls;

  /**
   * @param containerNames the container of each area
   * @param createContainers whether to create missing containers now, and again when a write finds
   *     its container gone
   * @param accountKey whether the client signs with the account key (read links are then service
   *     SAS, else user delegation SAS)
   */
  public AzureBlobObjectStore(
      BlobServiceClient service,
      Map<StorageArea, String> containerNames,
      boolean createContainers,
      boolean accountKey) {
    this.readUrls = new BlobReadUrls(service, accountKey, Clock.systemUTC());
    for (StorageArea area : StorageArea.values()) {
      String name =
          Objects.requireNonNull(containerNames.get(area), () -> "No container named for " + area);
      containers.put(area, service.getBlobContainerClient(name));
    }
    this.createContainers = createContainers;
    if (createContainers) {
      containers.values().forEach(this::createIfMissing);
    }
  }

  /** Connects with a connection string, or to an endpoint as {@code DefaultAzureCredential}. */
  public static AzureBlobObjectStore connect(StorageProperties.Azure azure) {
    azure.requireAccount();
    StorageProperties.Retry retry = azure.retry();
    BlobServiceClientBuilder builder =
        new BlobServiceClientBuilder()
            .retryOptions(
                new RequestRetryOptions(
                    RetryPolicyType.EXPONENTIAL,
                    retry.maxTries(),
                    retry.tryTimeout(),
                    retry.retryDelay(),
                    retry.maxRetryDelay(),
                    null));
    if (azure.connectionString() != null) {
      builder.connectionString(azure.connectionString());
    } else {
      builder.endpoint(azure.endpoint()).credential(new DefaultAzureCredentialBuilder().build());
    }
    return new AzureBlobObjectStore(
        builder.buildClient(),
        azure.containers().byArea(),
        azure.createContainers(),
        azure.connectionString() != null);
  }

  @Override
  public void put(ObjectRef ref, byte[] bytes, String contentType) {
    BlobHttpHeaders headers = headers(contentType);
    upload(
        ref,
        blob ->
            blob.uploadWithResponse(
                new BlobParallelUploadOptions(BinaryData.fromBytes(bytes)).setHeaders(headers),
                null,
                Context.NONE));
  }

  @Override
  public void putFile(ObjectRef ref, Path file, String contentType) {
    BlobHttpHeaders headers = headers(contentType);
    upload(
        ref,
        blob ->
            blob.uploadFromFileWithResponse(
                new BlobUploadFromFileOptions(file.toString())
                    .setHeaders(headers)
                    .setParallelTransferOptions(FILE_TRANSFER),
                null,
                Context.NONE));
  }

  private void upload(ObjectRef ref, Consumer<BlobClient> upload) {
    call(
        ref,
        "Cannot put " + ref,
        () -> {
          BlobClient blob = blob(ref);
          try {
            upload.accept(blob);
          } catch (BlobStorageException e) {
            if (!createContainers || !BlobErrorCode.CONTAINER_NOT_FOUND.equals(e.getErrorCode())) {
              throw e;
            }
            createIfMissing(containers.get(ref.area()));
            upload.accept(blob);
          }
          return null;
        });
  }

  @Override
  public Optional<byte[]> get(ObjectRef ref) {
    try {
      return Optional.of(read(ref, "get", () -> blob(ref).downloadContent().toBytes()));
    } catch (ObjectNotFoundException e) {
      return Optional.empty();
    }
  }

  @Override
  public InputStream open(ObjectRef ref) {
    return read(ref, "open", () -> blob(ref).openInputStream());
  }

  @Override
  public void downloadTo(ObjectRef ref, Path target) {
    read(
        ref,
        "download",
        () -> {
          try {
            AtomicFile.write(
                target, temporary -> blob(ref).downloadToFile(temporary.toString(), true));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          return null;
        });
  }

  @Override
  public Optional<ObjectInfo> stat(ObjectRef ref) {
    try {
      BlobProperties properties = read(ref, "stat", () -> blob(ref).getProperties());
      return Optional.of(
          new ObjectInfo(
              properties.getBlobSize(),
              properties.getContentType(),
              properties.getLastModified().toInstant()));
    } catch (ObjectNotFoundException e) {
      return Optional.empty();
    }
  }

  @Override
  public boolean exists(ObjectRef ref) {
    return call(ref, "Cannot check " + ref, () -> blob(ref).exists());
  }

  @Override
  public boolean delete(ObjectRef ref) {
    return call(ref, "Cannot delete " + ref, () -> blob(ref).deleteIfExists());
  }

  @Override
  public List<String> list(StorageArea area, String prefix) {
    ObjectKeys.checkPrefix(prefix);
    ListBlobsOptions options = new ListBlobsOptions().setPrefix(prefix.isEmpty() ? null : prefix);
    return call(
        null,
        "Cannot list " + area.defaultName() + "/" + prefix + "*",
        () -> {
          try {
            return containers.get(area).listBlobs(options, null).stream()
                .map(BlobItem::getName)
                .sorted()
                .toList();
          } catch (BlobStorageException e) {
            if (e.getStatusCode() == 404) {
              return List.<String>of();
            }
            throw e;
          }
        });
  }

  @Override
  public Optional<URI> readUrl(ObjectRef ref, Duration lifetime) {
    return Optional.of(readUrls.readUrl(blob(ref), lifetime));
  }

  private BlobClient blob(ObjectRef ref) {
    return containers.get(ref.area()).getBlobClient(ref.key());
  }

  private void createIfMissing(BlobContainerClient container) {
    call(
        null,
        "Cannot create container " + container.getBlobContainerName(),
        container::createIfNotExists);
  }

  private static BlobHttpHeaders headers(String contentType) {
    return new BlobHttpHeaders().setContentType(Objects.requireNonNull(contentType, "contentType"));
  }

  /**
   * Runs a read, turning "404 Not Found" (of the blob or its container) into {@link
   * ObjectNotFoundException}.
   */
  private <T> T read(ObjectRef ref, String operation, Supplier<T> action) {
    return call(
        ref,
        "Cannot " + operation + " " + ref,
        () -> {
          try {
            return action.get();
          } catch (BlobStorageException e) {
            if (e.getStatusCode() == 404) {
              throw new ObjectNotFoundException(ref, e);
            }
            throw e;
          }
        });
  }

  /**
   * Runs an SDK call, turning its failures into {@link StorageException}s whose message says what
   * failed and why: the HTTP status and storage error code, or the I/O error, never the request or
   * credentials.
   */
  private static <T> T call(ObjectRef ref, String failure, Supplier<T> action) {
    try {
      return action.get();
    } catch (StorageException e) {
      throw e;
    } catch (BlobStorageException e) {
      throw new StorageException(
          ref, failure + ": HTTP " + e.getStatusCode() + " " + e.getErrorCode(), e);
    } catch (RuntimeException e) {
      throw new StorageException(ref, failure + ": " + rootCause(e), e);
    }
  }

  private static Throwable rootCause(Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause;
  }
}
