package dev.durablediffusion.api;

import dev.durablediffusion.api.generation.SubmissionLog;
import dev.durablediffusion.workflows.generation.TaskQueues;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The API ({@code dd.api.*}).
 *
 * @param keys {@code tenant:key,tenant:key}; also read from {@code DD_API_KEYS}
 * @param keyHashesFile a file of {@code tenant:sha256-hex} lines (Key Vault on AKS), re-read when
 *     it changes; empty for none
 * @param keyReloadInterval how often the key hashes file is checked for changes
 * @param devKeyWhenEmpty create tenant {@code dev} with a fresh key, printed once, when no key is
 *     configured (the embedded default only)
 * @param localSecrets a folder where the dev key and, when {@code url-signing-key} is empty, the
 *     URL signing key are made once and kept (the embedded default: its data directory), so both
 *     survive a restart; empty for none
 * @param urlSigningKey base64 HMAC key (at least 32 bytes) for image URLs; every API replica needs
 *     the same one. When empty (and no local secrets folder) a random key is made at start-up, and
 *     links die with the process
 * @param imageUrlLifetime how long a signed image URL works
 * @param imageLinks where image links point: the API's signed file URLs, or the store itself
 * @param submissionsPerSecond each tenant's sustained rate of new generations (token bucket refill)
 * @param submissionBurst each tenant's bucket size
 * @param maxInFlight generations a tenant may have running at once
 * @param maxConcurrentRequests requests of one tenant on a request thread at once; more get 429
 * @param inFlightReconcileInterval how often in-flight markers are checked against the workflows
 *     they mark (also once at start-up); those of ended or unknown workflows are cleared
 * @param bodyReadTimeout how long a request body may take to arrive; a slower one gets 408
 * @param eventPollInterval how often a watched generation's status is read, once for all its
 *     event streams
 * @param maxEventStreams event streams one tenant may hold open at once; more get 429
 * @param admission when new interactive work is turned away
 * @param logPrompts how prompts appear in the log line of a started generation
 * @param entra Microsoft Entra ID access tokens, accepted besides API keys when an issuer is set
 */
@ConfigurationProperties(prefix = "dd.api")
public record ApiProperties(
    @DefaultValue("") String keys,
    @DefaultValue("") String keyHashesFile,
    @DefaultValue("30s") Duration keyReloadInterval,
    @DefaultValue("false") boolean devKeyWhenEmpty,
    @DefaultValue("") String localSecrets,
    @DefaultValue("") String urlSigningKey,
    @DefaultValue("1h") Duration imageUrlLifetime,
    @DefaultValue("api") ImageLinkKind imageLinks,
    @DefaultValue("5") double submissionsPerSecond,
    @DefaultValue("20") int submissionBurst,
    @DefaultValue("100") int maxInFlight,
    @DefaultValue("32") int maxConcurrentRequests,
    @DefaultValue("10s") Duration bodyReadTimeout,
    @DefaultValue("5m") Duration inFlightReconcileInterval,
    @DefaultValue("250ms") Duration eventPollInterval,
    @DefaultValue("100") int maxEventStreams,
    @DefaultValue Admission admission,
    @DefaultValue("redacted") SubmissionLog.Prompts logPrompts,
    @DefaultValue("false") boolean searchAttributes,
    @DefaultValue Entra entra) {

  /** Every setting, with the API keys and the signing key shown only as set or not. */
  @Override
  public String toString() {
    return "ApiProperties[keys="
        + (keys.isBlank() ? "none" : keys.split(",").length + " set")
        + ", keyHashesFile="
        + keyHashesFile
        + ", keyReloadInterval="
        + keyReloadInterval
        + ", devKeyWhenEmpty="
        + devKeyWhenEmpty
        + ", localSecrets="
        + localSecrets
        + ", urlSigningKey="
        + (urlSigningKey.isBlank() ? "none" : "set")
        + ", imageUrlLifetime="
        + imageUrlLifetime
        + ", imageLinks="
        + imageLinks
        + ", submissionsPerSecond="
        + submissionsPerSecond
        + ", submissionBurst="
        + submissionBurst
        + ", maxInFlight="
        + maxInFlight
        + ", maxConcurrentRequests="
        + maxConcurrentRequests
        + ", bodyReadTimeout="
        + bodyReadTimeout
        + ", inFlightReconcileInterval="
        + inFlightReconcileInterval
        + ", eventPollInterval="
        + eventPollInterval
        + ", maxEventStreams="
        + maxEventStreams
        + ", admission="
        + admission
        + ", logPrompts="
        + logPrompts
        + ", searchAttributes="
        + searchAttributes
        + ", entra="
        + entra
        + "]";
  }

  /** Where the {@code url} of an output image points. */
  public enum ImageLinkKind {
    /** {@code /v1/files/…} on the API, HMAC-signed with {@code url-signing-key}. */
    API,
    /**
     * Straight to the store: on Azure Blob a read-only SAS for the one blob (user delegation SAS
     * under workload identity); where the store makes no links, the API's.
     */
    STORAGE
  }

  /** Where admission control reads the interactive GPU backlog. */
  public enum BacklogSource {
    /** Interactive generations in flight, from the generation index: works on any server. */
    IN_FLIGHT,
    /** The shared interactive GPU queue's backlog from DescribeTaskQueue: a real cluster. */
    TASK_QUEUE
  }

  /**
   * @param issuerUri the token issuer, e.g. {@code https://login.microsoftonline.com/<tenant
   *     id>/v2.0}; empty turns access tokens off
   * @param jwkSetUri where the signing keys are; empty: from the issuer's OpenID configuration
   * @param audiences accepted {@code aud} values: the API's application ID URI or client id
   * @param tenantClaim the claim naming the Durable Diffusion tenant (a string, or an array of
   *     one): by default the app role assigned to the calling client application
   */
  public record Entra(
      @DefaultValue("") String issuerUri,
      @DefaultValue("") String jwkSetUri,
      @DefaultValue List<String> audiences,
      @DefaultValue("roles") String tenantClaim) {

    public boolean enabled() {
      return !issuerUri.isBlank();
    }
  }

  /**
   * @param maxInteractiveBacklog at this backlog new interactive work gets 429; 0 turns it off
   * @param backlogSource how the backlog is measured
   * @param refresh how long one reading of the backlog is used
   * @param retryAfter the {@code Retry-After} given to refused work
   * @param gpuQueue the queue whose backlog {@code task-queue} reads: the interactive GPU queue the
   *     workflows schedule on, which the applications' configuration takes from {@code
   *     dd.cpu.interactive-gpu-queue}
   */
  public record Admission(
      @DefaultValue("500") long maxInteractiveBacklog,
      @DefaultValue("in-flight") BacklogSource backlogSource,
      @DefaultValue("1s") Duration refresh,
      @DefaultValue("10s") Duration retryAfter,
      @DefaultValue(TaskQueues.GPU_INTERACTIVE) String gpuQueue) {}
}
