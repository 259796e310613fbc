package dev.durablediffusion.storage;

import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.UserDelegationKey;
import com.azure.storage.blob.sas.BlobSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import com.azure.storage.common.sas.SasProtocol;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Read-only links to single blobs that expire: a service SAS where the client holds the account key
 * (Azurite, a connection string), else a user delegation SAS signed with a key that Entra ID issues
 * to the workload identity (which needs the Storage Blob Delegator role). Delegation keys are
 * fetched for a day at a time and reused.
 */
final class BlobReadUrls {

  /** Azure's limit on a user delegation key's lifetime. */
  static final Duration MAX_DELEGATION = Duration.ofDays(7);

  private static final Duration KEY_RENEWAL = Duration.ofDays(1);
  private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

  private final BlobServiceClient service;
  private final boolean accountKey;
  private final Clock clock;
  private UserDelegationKey delegationKey;

  BlobReadUrls(BlobServiceClient service, boolean accountKey, Clock clock) {
    this.service = service;
    this.accountKey = accountKey;
    this.clock = clock;
  }

  URI readUrl(BlobClient blob, Duration lifetime) {
    if (lifetime.compareTo(MAX_DELEGATION) > 0 || lifetime.isNegative() || lifetime.isZero()) {
      throw new IllegalArgumentException("a read link lives between 1 s and 7 days: " + lifetime);
    }
    OffsetDateTime now = OffsetDateTime.now(clock.withZone(ZoneOffset.UTC));
    BlobServiceSasSignatureValues values =
        new BlobServiceSasSignatureValues(
                now.plus(lifetime), new BlobSasPermission().setReadPermission(true))
            .setStartTime(now.minus(CLOCK_SKEW))
            .setProtocol(
                blob.getBlobUrl().startsWith("https:")
                    ? SasProtocol.HTTPS_ONLY
                    : SasProtocol.HTTPS_HTTP);
    String sas =
        accountKey
            ? blob.generateSas(values)
            : blob.generateUserDelegationSas(values, delegationKey(now, now.plus(lifetime)));
    // The SDK escapes the key's slashes; a literal "%2F" in a key would read "%252F".
    return URI.create(blob.getBlobUrl().replace("%2F", "/") + "?" + sas);
  }

  private synchronized UserDelegationKey delegationKey(OffsetDateTime now, OffsetDateTime until) {
    if (delegationKey == null || delegationKey.getSignedExpiry().isBefore(until)) {
      OffsetDateTime renewal = now.plus(KEY_RENEWAL);
      OffsetDateTime expiry = until.isAfter(renewal) ? until : renewal;
      delegationKey = service.getUserDelegationKey(now.minus(CLOCK_SKEW), expiry);
    }
    return delegationKey;
  }
}
